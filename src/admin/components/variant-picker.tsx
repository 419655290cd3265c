import { Input, Label, RadioGroup, Skeleton, Text } from "@medusajs/ui"
import { useEffect, useId, useState } from "react"
import { useVariantSearch } from "../hooks/store"
import type { VariantHit } from "../types"

function useDebounced<T>(value: T, ms = 300): T {
  const [v, setV] = useState(value)
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms)
    return () => clearTimeout(t)
  }, [value, ms])
  return v
}

export function variantLabel(v: Pick<VariantHit, "title" | "sku" | "product"> | null | undefined): string {
  if (!v) return "–"
  const name = [v.product?.title, v.title && v.title !== "Default variant" ? v.title : null].filter(Boolean).join(" · ")
  return name || v.sku || "Variant"
}

/** Searches the store's variants (title, SKU, barcode) and lets the admin pick one. */
export function VariantPicker({
  value,
  onChange,
  initialQuery = "",
  label = "Product variant",
}: {
  value: string | null
  onChange: (variant: VariantHit) => void
  initialQuery?: string
  label?: string
}) {
  const id = useId()
  const [q, setQ] = useState(initialQuery)
  const debounced = useDebounced(q)
  const { data, isLoading, isFetching, isError } = useVariantSearch(debounced)
  const variants = data?.variants ?? []

  return (
    <div className="flex flex-col gap-y-2">
      <Label htmlFor={`${id}-search`} size="small" weight="plus">
        {label}
      </Label>
      <Input
        id={`${id}-search`}
        type="search"
        size="small"
        placeholder="Search by product, variant, SKU or barcode"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        aria-controls={`${id}-results`}
      />
      <div
        id={`${id}-results`}
        className="border-ui-border-base max-h-[320px] overflow-y-auto rounded-lg border"
        aria-busy={isFetching}
      >
        {isLoading ? (
          <div className="flex flex-col gap-y-2 p-3" role="status" aria-label="Searching variants">
            <Skeleton className="h-8 w-full" />
            <Skeleton className="h-8 w-full" />
            <Skeleton className="h-8 w-full" />
          </div>
        ) : isError ? (
          <Text size="small" className="text-ui-fg-error p-3">
            The variants could not be searched.
          </Text>
        ) : variants.length === 0 ? (
          <Text size="small" className="text-ui-fg-muted p-3">
            No variant matches “{debounced}”.
          </Text>
        ) : (
          <RadioGroup
            aria-label="Matching variants"
            value={value ?? ""}
            onValueChange={(v) => {
              const hit = variants.find((x) => x.id === v)
              if (hit) onChange(hit)
            }}
            className="divide-ui-border-base flex flex-col divide-y"
          >
            {variants.map((v) => (
              <label
                key={v.id}
                htmlFor={`${id}-${v.id}`}
                className="hover:bg-ui-bg-base-hover flex cursor-pointer items-center gap-x-3 px-3 py-2"
              >
                <RadioGroup.Item id={`${id}-${v.id}`} value={v.id} aria-label={`${variantLabel(v)}, SKU ${v.sku ?? "none"}`} />
                <div className="min-w-0 flex-1">
                  <Text size="small" weight="plus" leading="compact" className="truncate">
                    {variantLabel(v)}
                  </Text>
                  <Text size="xsmall" className="text-ui-fg-subtle truncate">
                    SKU {v.sku ?? "–"}
                    {v.barcode ? ` · barcode ${v.barcode}` : ""}
                  </Text>
                </div>
              </label>
            ))}
          </RadioGroup>
        )}
      </div>
    </div>
  )
}
