import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import { readConfig } from "./lib/config.js";
import "./styles.css";
import "./page.css";
import "./layout.css";

const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <App config={readConfig(document)} />
  </StrictMode>,
);
