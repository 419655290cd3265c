import { Trash } from "@medusajs/icons"
import { Button, Container, IconButton, Table, Text, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import { useDeleteSkuMapping, useSkuMappings } from "../../hooks/channels"
import { useVariantsById } from "../../hooks/store"
import { errorMessage } from "../../lib/errors"
import { EmptyState, ErrorState, SectionHeader, TableSkeleton } from "../common"
import { variantLabel } from "../variant-picker"
import { SkuMappingDrawer } from "./sku-mapping-drawer"

/** Marketplace SKUs that the store sells under another SKU, each pointing at a variant. */
export function SkuMappingsSection({ channelId }: { channelId: string }) {
  const { data, isLoading, isError, error, refetch } = useSkuMappings(channelId)
  const mappings = data?.sku_mappings ?? []
  const variants = useVariantsById(mappings.map((m) => m.variant_id))
  const byId = new Map((variants.data?.variants ?? []).map((v) => [v.id, v]))
  const remove = useDeleteSkuMapping(channelId)
  const prompt = usePrompt()
  const [open, setOpen] = useState(false)

  const onDelete = async (id: string, sku: string) => {
    const ok = await prompt({
      title: "Remove SKU mapping?",
      description: `Orders with SKU ${sku} will no longer match this variant.`,
      confirmText: "Remove",
      cancelText: "Cancel",
    })
    if (!ok) return
    remove.mutate(id, {
      onSuccess: () => toast.success("SKU mapping removed"),
      onError: (e) => toast.error("Could not remove the mapping", { description: errorMessage(e) }),
    })
  }

  return (
    <Container className="divide-y p-0" role="region" aria-labelledby="sku-mappings-heading">
      <SectionHeader
        id="sku-mappings-heading"
        title="SKU mappings"
        description="When the marketplace's SKU differs from the store's, say which variant it means."
        actions={
          <Button size="small" variant="secondary" onClick={() => setOpen(true)}>
            Add mapping
          </Button>
        }
      />
      {isLoading ? (
        <TableSkeleton rows={2} columns={3} label="Loading SKU mappings" />
      ) : isError ? (
        <ErrorState error={error} onRetry={() => refetch()} />
      ) : mappings.length === 0 ? (
        <EmptyState title="No SKU mappings" description="SKUs are matched to variants by their own SKU and barcode." />
      ) : (
        <Table aria-label="SKU mappings">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Marketplace SKU</Table.HeaderCell>
              <Table.HeaderCell>Variant</Table.HeaderCell>
              <Table.HeaderCell>Store SKU</Table.HeaderCell>
              <Table.HeaderCell className="w-12">
                <span className="sr-only">Actions</span>
              </Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {mappings.map((m) => {
              const v = byId.get(m.variant_id)
              return (
                <Table.Row key={m.id}>
                  <Table.Cell className="font-mono">{m.external_sku}</Table.Cell>
                  <Table.Cell>
                    {v ? variantLabel(v) : <Text size="small" className="text-ui-fg-muted">{m.variant_id}</Text>}
                  </Table.Cell>
                  <Table.Cell>{v?.sku ?? "–"}</Table.Cell>
                  <Table.Cell>
                    <IconButton
                      size="small"
                      variant="transparent"
                      aria-label={`Remove mapping for ${m.external_sku}`}
                      onClick={() => onDelete(m.id, m.external_sku)}
                    >
                      <Trash />
                    </IconButton>
                  </Table.Cell>
                </Table.Row>
              )
            })}
          </Table.Body>
        </Table>
      )}
      <SkuMappingDrawer channelId={channelId} open={open} onOpenChange={setOpen} />
    </Container>
  )
}
