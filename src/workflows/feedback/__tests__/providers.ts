import { AmazonChannelProvider } from "../../../providers/amazon/service"
import { EbayChannelProvider } from "../../../providers/ebay/service"
import { MiraklChannelProvider } from "../../../providers/mirakl/service"
import { SandboxChannelProvider } from "../../../providers/sandbox/service"

/** Each provider's own read-back (its prototype: the methods, no connection). */
export const PROVIDERS: Record<string, any> = {
  amazon: Object.create(AmazonChannelProvider.prototype),
  ebay: Object.create(EbayChannelProvider.prototype),
  mirakl: Object.create(MiraklChannelProvider.prototype),
  sandbox: Object.create(SandboxChannelProvider.prototype),
}
