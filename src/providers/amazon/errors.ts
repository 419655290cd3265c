import { ChannelProviderError } from "../../modules/channel/errors"

/**
 * A provider error that carries structured facts beside Amazon's code and message: which packages
 * of a shipment Amazon took before one failed, or what a feed's processing report said. The caller
 * may store `data` so that a retry or a later read starts from it.
 */
export class AmazonProviderError extends ChannelProviderError {
  readonly data: Record<string, unknown>

  constructor(
    code: string,
    message: string,
    opts: ConstructorParameters<typeof ChannelProviderError>[2] & { data: Record<string, unknown> }
  ) {
    const { data, ...rest } = opts
    super(code, message, rest)
    this.name = "AmazonProviderError"
    this.data = data
  }
}
