/** What every component may need from its surroundings: the display scale of credits. */
import { createContext, type ReactNode, useContext } from "react";
import { CONFIG_DEFAULT, type WebConfig } from "./config.js";
import { creditsWord, formatCredits } from "./format.js";

const ConfigContext = createContext<WebConfig>(CONFIG_DEFAULT);

export function ConfigProvider(props: { readonly config: WebConfig; readonly children: ReactNode }) {
  return <ConfigContext.Provider value={props.config}>{props.children}</ConfigContext.Provider>;
}

export function useConfig(): WebConfig {
  return useContext(ConfigContext);
}

/** An amount of credits in minor units, written at the configured display scale. */
export function Credits(props: { readonly minor: number | bigint | string; readonly unit?: boolean }) {
  const { displayScale } = useConfig();
  const text = formatCredits(props.minor, displayScale);
  return (
    <span className="boon-credits">
      {text}
      {props.unit === false ? null : ` ${creditsWord(props.minor, displayScale)}`}
    </span>
  );
}
