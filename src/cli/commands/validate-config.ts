import { Command } from "commander";
import { ConfigError } from "../../config/config-error.ts";
import type { Route } from "../../config/config-schema.ts";
import { loadConfig } from "../../config/load-config.ts";
import { CliError } from "../cli-error.ts";
import type { CliIo } from "../cli-io.ts";

export function createValidateConfigCommand(io: CliIo): Command {
  return new Command("validate-config")
    .description("check the config file; exit 0 with a summary of routes, or 1 with every problem")
    .option("--config <file>", "config file (env HF_BRIDGE_CONFIG, default ./hf-bridge.yml)")
    .addHelpText(
      "after",
      `
Examples:
  $ hf-bridge validate-config
  $ hf-bridge validate-config --config deploy/hf-bridge.yml`,
    )
    .action(async (options: { config?: string }) => {
      let loaded: Awaited<ReturnType<typeof loadConfig>>;
      try {
        loaded = await loadConfig({ path: options.config, env: io.env, cwd: io.cwd });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        for (const problem of error.problems) io.err(problem);
        const count = error.problems.length;
        throw new CliError(
          `${error.problems[0]?.split(":")[0] ?? "the config"} has ${plural(count, "problem")}`,
        );
      }
      for (const notice of loaded.notices) io.out(notice);
      const { routes, endpoints } = loaded.config;
      io.out(
        `${loaded.file ? `${loaded.file} is valid` : "no config file"}: ${plural(routes.length, "route")}, ${plural(endpoints.length, "endpoint watch", "endpoint watches")}`,
      );
      for (const route of routes) io.out(`  ${describeRoute(route)}`);
      for (const watch of endpoints) {
        io.out(`  endpoints ${watch.namespace}/{${watch.names.join(",")}} → ${watch.github}`);
      }
    });
}

function describeRoute(route: Route): string {
  const types = route.types ? ` (${route.types.join(", ")})` : "";
  const features = [
    route.discussions === false ||
    (typeof route.discussions === "object" && !route.discussions.enabled)
      ? undefined
      : "discussions",
    route.commits === "checks" ? "commit checks" : undefined,
    route.dispatch.length > 0 ? plural(route.dispatch.length, "dispatch rule") : undefined,
  ].filter((feature) => feature !== undefined);
  return `${route.hub}${types} → ${route.github}: ${features.length > 0 ? features.join(", ") : "nothing enabled yet"}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
