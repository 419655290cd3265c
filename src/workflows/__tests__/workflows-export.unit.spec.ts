import * as workflows from "../index"

describe("the ./workflows export", () => {
  const all = Object.entries(workflows).filter(([name]) => name.endsWith("Workflow")) as Array<[string, any]>

  it("exports the plugin's workflows", () => {
    expect(all.map(([name]) => name)).toEqual(expect.arrayContaining(["importChannelOrderWorkflow", "importChannelOrdersBatchWorkflow", "createChannelWorkflow", "releaseOrderHoldWorkflow"]))
    expect(all.length).toBeGreaterThanOrEqual(15)
  })

  it("gives every workflow an id with the plugin's prefix, so none can clash with Medusa's or a store's", () => {
    for (const [name, wf] of all) expect({ name, id: wf.getName() }).toEqual({ name, id: expect.stringMatching(/^channel-orders-/) })
  })

  it("lets a store extend the imports through hooks", () => {
    expect(typeof (workflows.importChannelOrderWorkflow as any).hooks.orderImported).toBe("function")
    expect(typeof (workflows.importChannelOrdersBatchWorkflow as any).hooks.ordersImported).toBe("function")
  })
})
