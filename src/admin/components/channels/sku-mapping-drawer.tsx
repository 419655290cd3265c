import { Button, Hint, Input, Label, Text, toast } from "@medusajs/ui"
import { useEffect, useState, type FormEvent } from "react"
import { useCreateSkuMapping } from "../../hooks/channels"
import { errorMessage } from "../../lib/errors"
import type { VariantHit } from "../../types"
import { VariantPicker, variantLabel } from "../variant-picker"
import { FormDrawer } from "../form-drawer"

/**
 * Maps a marketplace SKU to one of the store's variants for a channel. `onMapped` runs after the
 * mapping is saved (the problems page retries the order there).
 */
export function SkuMappingDrawer({
  channelId,
  open,
  onOpenChange,
  externalSku,
  skuChoices,
  title = "Map a SKU",
  submitLabel = "Save mapping",
  onMapped,
}: {
  channelId: string
  open: boolean
  onOpenChange: (open: boolean) => void
  externalSku?: string
  /** SKUs of the order being fixed, offered as quick choices. */
  skuChoices?: string[]
  title?: string
  submitLabel?: string
  onMapped?: (mapping: { external_sku: string; variant_id: string }) => Promise<void> | void
}) {
  const [sku, setSku] = useState(externalSku ?? "")
  const [variant, setVariant] = useState<VariantHit | null>(null)
  const [finishing, setFinishing] = useState(false)
  const create = useCreateSkuMapping(channelId)

  useEffect(() => {
    if (open) {
      setSku(externalSku ?? "")
      setVariant(null)
    }
  }, [open, externalSku])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!sku.trim() || !variant) return
    const body = { external_sku: sku.trim(), variant_id: variant.id }
    create.mutate(body, {
      onSuccess: async () => {
        toast.success("SKU mapped", { description: `${body.external_sku} → ${variantLabel(variant)}` })
        if (onMapped) {
          setFinishing(true)
          try {
            await onMapped(body)
          } finally {
            setFinishing(false)
          }
        }
        onOpenChange(false)
      },
      onError: (err) => toast.error("Could not map the SKU", { description: errorMessage(err) }),
    })
  }

  return (
    <FormDrawer
      open={open}
      onOpenChange={onOpenChange}
      title={title}
      description="Choose the store variant a marketplace SKU stands for"
      onSubmit={submit}
      submitting={create.isPending || finishing}
      submitDisabled={!sku.trim() || !variant}
      submitLabel={submitLabel}
      bodyClassName="gap-y-6"
    >
      <div className="flex flex-col gap-y-1.5">
        <Label htmlFor="external-sku" size="small" weight="plus">
          Marketplace SKU
        </Label>
        <Input id="external-sku" size="small" required value={sku} onChange={(e) => setSku(e.target.value)} />
        {skuChoices && skuChoices.length > 1 ? (
          <div className="flex flex-wrap gap-2" aria-label="SKUs of this order">
            {skuChoices.map((s) => (
              <Button key={s} type="button" size="small" variant={s === sku ? "primary" : "secondary"} onClick={() => setSku(s)}>
                {s}
              </Button>
            ))}
          </div>
        ) : null}
        <Hint>Orders of this channel with this SKU will use the variant you pick.</Hint>
      </div>
      <VariantPicker value={variant?.id ?? null} onChange={setVariant} />
      {variant ? (
        <Text size="small" className="text-ui-fg-subtle" aria-live="polite">
          Selected: <span className="text-ui-fg-base font-medium">{variantLabel(variant)}</span> (SKU {variant.sku ?? "–"})
        </Text>
      ) : null}
    </FormDrawer>
  )
}
