// The demo marketplaces' process (demo/marketplaces.ts), forked by scripts/run.js demo. TypeScript
// goes through @swc/core as in bench/launch.js. Messages over the fork's IPC channel:
//   { id, cmd: "start", args: { epoch } } → the channels' URLs and credentials
//   { id, cmd: "shipments" }              → shipment confirmations accepted, per marketplace
//   { id, cmd: "stop" }
require("../bench/launch.js").registerTypeScript()
const { DemoMarketplaces } = require("./marketplaces.ts")

let demo
const handlers = {
  async start({ epoch }) {
    demo = new DemoMarketplaces(new Date(epoch))
    return demo.start()
  },
  shipments: () => demo.shipments(),
  async stop() {
    await demo?.stop()
    setImmediate(() => process.exit(0))
    return true
  },
}

process.on("message", async ({ id, cmd, args }) => {
  try {
    process.send({ id, result: await handlers[cmd](args ?? {}) })
  } catch (e) {
    process.send({ id, error: String(e?.stack ?? e) })
  }
})
// The demo runner went away: so do the marketplaces.
process.on("disconnect", () => process.exit(0))
