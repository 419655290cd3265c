// Entry of the simulators' process (see simulators.ts): TypeScript through @swc/core, as bench/launch.js runs it.
require("../../bench/launch.js").registerTypeScript()
require("./simulators.ts")
