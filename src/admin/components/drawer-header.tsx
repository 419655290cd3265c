import { XMark } from "@medusajs/icons"
import { Drawer, IconButton, Kbd } from "@medusajs/ui"
import type { ReactNode } from "react"

/**
 * Drawer.Header's look, with a close button that has an accessible name (the stock one has only an
 * icon, so screen readers announce a nameless button).
 */
export function DrawerHeader({ children }: { children: ReactNode }) {
  return (
    <div className="border-ui-border-base flex items-start justify-between gap-x-4 border-b px-6 py-4">
      <div className="flex flex-col gap-y-1">{children}</div>
      <div className="flex items-center gap-x-2">
        <Kbd aria-hidden>esc</Kbd>
        <Drawer.Close asChild>
          <IconButton size="small" type="button" variant="transparent" aria-label="Close">
            <XMark />
          </IconButton>
        </Drawer.Close>
      </div>
    </div>
  )
}
