import { Button, clx, Drawer, Heading, Text } from "@medusajs/ui"
import type { FormEvent, ReactNode } from "react"
import { DrawerHeader } from "./drawer-header"

/**
 * The admin's one form drawer (as Medusa's own draft-order admin has): header with title and
 * description, a scrolling body, and a footer with Cancel and a submit button. Every edit/create
 * drawer used to repeat this skeleton by hand; keeping it here keeps their layout, labels and
 * accessible names the same everywhere.
 */
export function FormDrawer({
  open,
  onOpenChange,
  title,
  description,
  showDescription = false,
  onSubmit,
  submitting = false,
  submitDisabled,
  submitLabel = "Save",
  cancelLabel = "Cancel",
  footerStart,
  bodyClassName = "gap-y-4",
  children,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: ReactNode
  /**
   * Hidden by default: then it is the dialog's accessible description (sr-only). With
   * `showDescription` it is shown under the title as a subtitle instead (not linked to the dialog).
   */
  description: string
  showDescription?: boolean
  onSubmit: (e: FormEvent<HTMLFormElement>) => void
  /** Spinner on the submit button (which is then disabled too). */
  submitting?: boolean
  submitDisabled?: boolean
  submitLabel?: ReactNode
  cancelLabel?: ReactNode
  /** Footer content before Cancel, e.g. a danger button with `mr-auto`. */
  footerStart?: ReactNode
  /** Extra body classes, merged over "flex flex-col overflow-y-auto" (the gap, default gap-y-4). */
  bodyClassName?: string
  children: ReactNode
}) {
  return (
    <Drawer open={open} onOpenChange={onOpenChange}>
      {/* A visible subtitle is not a Radix Description, so say there is none (Radix warns otherwise). */}
      <Drawer.Content {...(showDescription ? { "aria-describedby": undefined } : {})}>
        <form onSubmit={onSubmit} className="flex h-full flex-col overflow-hidden">
          <DrawerHeader>
            <Drawer.Title asChild>
              <Heading>{title}</Heading>
            </Drawer.Title>
            {showDescription ? (
              <Text size="small" className="text-ui-fg-subtle">
                {description}
              </Text>
            ) : (
              <Drawer.Description className="sr-only">{description}</Drawer.Description>
            )}
          </DrawerHeader>
          <Drawer.Body className={clx("flex flex-col overflow-y-auto", bodyClassName)}>{children}</Drawer.Body>
          <Drawer.Footer>
            {footerStart}
            <Drawer.Close asChild>
              <Button size="small" variant="secondary" type="button">
                {cancelLabel}
              </Button>
            </Drawer.Close>
            <Button size="small" type="submit" isLoading={submitting} disabled={submitDisabled}>
              {submitLabel}
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
