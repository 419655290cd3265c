import { ExclamationCircle, MagnifyingGlass } from "@medusajs/icons"
import { Badge, Button, Container, Heading, Skeleton, StatusBadge, Text, clx } from "@medusajs/ui"
import type { ReactNode } from "react"
import { STATE_BADGE } from "../lib/format"
import type { ChannelOrderState } from "../types"

/** The header row of a section card: title, optional description, actions on the right. */
export function SectionHeader({
  title,
  description,
  actions,
  level = "h2",
  id,
}: {
  title: ReactNode
  description?: ReactNode
  actions?: ReactNode
  level?: "h1" | "h2" | "h3"
  id?: string
}) {
  return (
    <div className="flex items-center justify-between gap-x-4 px-6 py-4">
      <div className="min-w-0">
        <Heading level={level} id={id}>
          {title}
        </Heading>
        {description ? (
          <Text size="small" className="text-ui-fg-subtle mt-1">
            {description}
          </Text>
        ) : null}
      </div>
      {actions ? <div className="flex shrink-0 items-center gap-x-2">{actions}</div> : null}
    </div>
  )
}

/** A label/value row, the way the dashboard's detail sections show one fact. */
export function KeyValueRow({ label, value, hint }: { label: ReactNode; value: ReactNode; hint?: ReactNode }) {
  return (
    <div className="text-ui-fg-subtle grid grid-cols-2 items-start gap-x-4 px-6 py-3">
      <div>
        <Text size="small" weight="plus" leading="compact">
          {label}
        </Text>
        {hint ? (
          <Text size="xsmall" className="text-ui-fg-muted mt-0.5">
            {hint}
          </Text>
        ) : null}
      </div>
      <div className="txt-compact-small min-w-0 break-words">
        {typeof value === "string" || typeof value === "number" ? (
          <Text size="small" leading="compact">
            {value}
          </Text>
        ) : (
          value
        )}
      </div>
    </div>
  )
}

export function EmptyState({
  title,
  description,
  action,
  icon,
  className,
}: {
  title: string
  description?: ReactNode
  action?: ReactNode
  icon?: ReactNode
  className?: string
}) {
  return (
    <div className={clx("flex flex-col items-center justify-center gap-y-3 px-6 py-10 text-center", className)}>
      <div className="text-ui-fg-subtle" aria-hidden>
        {icon ?? <MagnifyingGlass />}
      </div>
      <div className="flex flex-col items-center gap-y-1">
        <Text size="small" weight="plus" leading="compact">
          {title}
        </Text>
        {description ? (
          <Text size="small" className="text-ui-fg-muted max-w-[420px]">
            {description}
          </Text>
        ) : null}
      </div>
      {action}
    </div>
  )
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = (error as Error | undefined)?.message ?? "The data could not be loaded."
  return (
    <EmptyState
      icon={<ExclamationCircle className="text-ui-fg-error" />}
      title="Could not load"
      description={message}
      action={
        onRetry ? (
          <Button size="small" variant="secondary" onClick={onRetry}>
            Try again
          </Button>
        ) : undefined
      }
    />
  )
}

/** Rows of grey bars while a table loads. */
export function TableSkeleton({ rows = 4, columns = 4, label = "Loading" }: { rows?: number; columns?: number; label?: string }) {
  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" role="status" aria-label={label} aria-busy="true">
      {Array.from({ length: rows }).map((_, r) => (
        <div key={r} className="grid gap-x-4" style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>
          {Array.from({ length: columns }).map((__, c) => (
            <Skeleton key={c} className="h-5 w-full" />
          ))}
        </div>
      ))}
    </div>
  )
}

export function CardSkeleton({ rows = 3, label = "Loading" }: { rows?: number; label?: string }) {
  return (
    <Container className="divide-y p-0" role="status" aria-label={label} aria-busy="true">
      <div className="px-6 py-4">
        <Skeleton className="h-7 w-40" />
      </div>
      {Array.from({ length: rows }).map((_, i) => (
        <div key={i} className="grid grid-cols-2 gap-x-4 px-6 py-4">
          <Skeleton className="h-5 w-32" />
          <Skeleton className="h-5 w-full" />
        </div>
      ))}
    </Container>
  )
}

export function StateBadge({ state }: { state: ChannelOrderState | string }) {
  const b = STATE_BADGE[state as ChannelOrderState] ?? { label: state, color: "grey" as const }
  return <StatusBadge color={b.color}>{b.label}</StatusBadge>
}

export function EnabledBadge({ enabled }: { enabled: boolean }) {
  return <StatusBadge color={enabled ? "green" : "grey"}>{enabled ? "Enabled" : "Disabled"}</StatusBadge>
}

export function CountBadge({ n, color }: { n: number; color?: "red" | "orange" | "green" | "grey" }) {
  return (
    <Badge size="2xsmall" color={n ? color ?? "grey" : "grey"}>
      {n}
    </Badge>
  )
}

/** Two-column page body as on the dashboard's detail pages. */
export function TwoColumn({ main, side }: { main: ReactNode; side: ReactNode }) {
  return (
    <div className="flex w-full flex-col gap-x-4 gap-y-3 xl:flex-row xl:items-start">
      <div className="flex w-full min-w-0 flex-col gap-y-3">{main}</div>
      <div className="flex w-full flex-col gap-y-3 xl:max-w-[440px]">{side}</div>
    </div>
  )
}
