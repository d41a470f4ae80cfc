import { readFile } from "node:fs/promises";
import { normalize, resolve } from "node:path";
import { ConfigError } from "./config-error.ts";
import { type BridgeConfig, configSchema } from "./config-schema.ts";
import { parseConfigText } from "./parse-config-text.ts";

const DEFAULT_CONFIG_PATH = "./hf-bridge.yml";

interface LoadedConfig {
  config: BridgeConfig;
  /** The file as the user named it, for messages; undefined when no file was read. */
  file?: string;
  /** Things worth telling the user at start-up that are not errors. */
  notices: string[];
}

/**
 * Reads the config from `path` (the `--config` option), else HF_BRIDGE_CONFIG, else ./hf-bridge.yml.
 * A missing default file means "no routes yet"; a missing file the user named is an error.
 * Throws ConfigError listing every problem.
 */
export async function loadConfig(options: {
  path?: string;
  env: NodeJS.ProcessEnv;
  cwd?: string;
}): Promise<LoadedConfig> {
  const named = options.path ?? (options.env.HF_BRIDGE_CONFIG || undefined);
  const file = normalize(named ?? DEFAULT_CONFIG_PATH);
  const absolute = resolve(options.cwd ?? process.cwd(), file);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && named === undefined) {
      return {
        config: configSchema.parse({}),
        notices: [
          `no ${file} found; running with no routes (deliveries are stored and shown, nothing is sent to GitHub) — copy examples/hf-bridge.example.yml to ${file} to add routes`,
        ],
      };
    }
    const source = options.path !== undefined ? "--config" : "HF_BRIDGE_CONFIG";
    const reason = code === "ENOENT" ? "the file does not exist" : `it cannot be read (${code})`;
    throw new ConfigError([
      `${source} names "${named}", but ${reason} — fix: check the path, or leave ${source} unset to use ${DEFAULT_CONFIG_PATH}`,
    ]);
  }
  const parsed = parseConfigText(text, file);
  if ("problems" in parsed) throw new ConfigError(parsed.problems, parsed.located);
  return { config: parsed.config, file, notices: [] };
}
