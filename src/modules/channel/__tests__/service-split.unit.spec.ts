import ChannelModuleService from "../service"

/**
 * The module service is split by concern (src/modules/channel/services/); callers still use the
 * service, so every public method it had before the split is still on it.
 */
const METHODS = [
  "accountKeyFor",
  "accountKeyOfChannel",
  "advanceSweepWatermark",
  "allowedHosts",
  "beginChannelOrderImports",
  "channelOrderSummary",
  "claimChannelFeedback",
  "claimChannelOrder",
  "claimChannelOrders",
  "closeInterruptedRuns",
  "credentialUrlProblems",
  "credentialsStatus",
  "databaseNow",
  "findImportedByBuyer",
  "findOrdersOfChannelOrders",
  "finishChannelOrderImports",
  "getChannelContext",
  "getProvider",
  "insertChannelFeedbacks",
  "lastCursor",
  "latestRunsByChannel",
  "listInterruptedImports",
  "listProviderIds",
  "listStalePendingChannelOrders",
  "openCredentials",
  "providerCacheFor",
  "putProviderCacheEntry",
  "putSandboxOrders",
  "rateLimiterFor",
  "reencryptSecrets",
  "rekeyChannelOrders",
  "releaseInterruptedImport",
  "releaseUnfinishedImports",
  "reopenChannelOrderImports",
  "sealCredentials",
  "settleChannelFeedback",
  "stageChannelOrders",
  "sweepWatermark",
  "tryTakeRateToken",
  "unclaimChannelOrder",
  "unclaimChannelOrders",
]

describe("ChannelModuleService after the split by concern", () => {
  it.each(METHODS)("still has %s", (name) => {
    expect(typeof (ChannelModuleService.prototype as any)[name]).toBe("function")
  })

  it("has one part per concern, each holding the module's repository for its transactions", () => {
    const repository = { transaction: jest.fn(), getFreshManager: jest.fn() }
    for (const file of ["staging", "claims", "runs", "rate-buckets", "feedback-outbox", "sandbox", "reports"]) {
      const mod = require(`../services/${file}`)
      const cls = Object.values(mod).find((v) => typeof v === "function" && /^Channel/.test((v as any).name)) as any
      expect(cls).toBeDefined()
      expect(new cls(repository).baseRepository_).toBe(repository)
    }
  })
})
