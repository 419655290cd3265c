import { Trash } from "@medusajs/icons"
import {
  Button,
  Checkbox,
  Container,
  Heading,
  Hint,
  Input,
  Label,
  RadioGroup,
  Switch,
  Text,
  toast,
  usePrompt,
} from "@medusajs/ui"
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react"
import { useNavigate, useParams, type UIMatch } from "react-router-dom"
import { CardSkeleton, ErrorState, SectionHeader, TwoColumn } from "../../../../components/common"
import { ActionsEditor } from "../../../../components/rules/actions-editor"
import { GroupEditor } from "../../../../components/rules/conditions-editor"
import { DryRunPanel } from "../../../../components/rules/dry-run-panel"
import { useChannels } from "../../../../hooks/channels"
import {
  useCreateImportRule,
  useDeleteImportRule,
  useImportRule,
  useRuleCatalogue,
  useUpdateImportRule,
} from "../../../../hooks/import-rules"
import { errorMessage } from "../../../../lib/errors"
import { providerLabel } from "../../../../lib/format"
import { draftToRule, emptyDraft, ruleErrors, ruleToDraft, type RuleDraft } from "../../../../lib/rule-draft"
import { sdk } from "../../../../lib/sdk"
import type { ImportRuleResponse } from "../../../../types"

const RuleEditorPage = () => {
  const { id = "new" } = useParams()
  const isNew = id === "new"
  const rule = useImportRule(isNew ? undefined : id)
  const catalogue = useRuleCatalogue()

  if (!isNew && rule.isLoading) {
    return <TwoColumn main={<><CardSkeleton rows={4} label="Loading the rule" /><CardSkeleton rows={3} /></>} side={<CardSkeleton rows={2} />} />
  }
  if (!isNew && (rule.isError || !rule.data)) {
    return (
      <Container className="p-0">
        <ErrorState error={rule.error} onRetry={() => rule.refetch()} />
      </Container>
    )
  }
  return (
    <RuleEditor
      key={id}
      id={isNew ? null : id}
      initial={isNew ? emptyDraft() : ruleToDraft(rule.data!.import_rule)}
      catalogueState={catalogue}
    />
  )
}

function RuleEditor({
  id,
  initial,
  catalogueState,
}: {
  id: string | null
  initial: RuleDraft
  catalogueState: ReturnType<typeof useRuleCatalogue>
}) {
  const navigate = useNavigate()
  const prompt = usePrompt()
  const [draft, setDraft] = useState<RuleDraft>(initial)
  const [errors, setErrors] = useState<string[]>([])
  const errorsRef = useRef<HTMLDivElement>(null)
  const catalogue = catalogueState.data
  const channels = useChannels({ limit: 200 })
  const create = useCreateImportRule()
  const update = useUpdateImportRule(id ?? "")
  const remove = useDeleteImportRule()
  const saving = create.isPending || update.isPending
  // The saved rule is evaluated by the dry run anyway; the draft is sent only when it differs.
  const savedBody = useMemo(() => JSON.stringify(draftToRule(initial, catalogue)), [initial, catalogue])
  const dryRunDraft = () => {
    const body = draftToRule(draft, catalogue)
    return id && JSON.stringify(body) === savedBody ? null : body
  }

  useEffect(() => {
    if (errors.length) errorsRef.current?.focus()
  }, [errors])

  const set = <K extends keyof RuleDraft>(k: K, v: RuleDraft[K]) => setDraft((d) => ({ ...d, [k]: v }))

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setErrors([])
    const body = draftToRule(draft, catalogue)
    const onError = (err: unknown) => {
      const lines = ruleErrors(errorMessage(err))
      setErrors(lines)
      toast.error("The rule was not saved", { description: lines[0] })
    }
    if (id) {
      update.mutate(body, { onSuccess: () => toast.success("Rule saved"), onError })
    } else {
      create.mutate(body, {
        onSuccess: ({ import_rule }) => {
          toast.success("Rule created")
          navigate(`/settings/import-rules/${import_rule.id}`, { replace: true })
        },
        onError,
      })
    }
  }

  const onDelete = async () => {
    if (!id) return
    const ok = await prompt({
      title: `Delete the rule “${draft.name}”?`,
      description: "Orders imported from now on are no longer checked against it. Orders already imported keep their tags and holds.",
      confirmText: "Delete",
      cancelText: "Cancel",
    })
    if (!ok) return
    remove.mutate(id, {
      onSuccess: () => {
        toast.success("Rule deleted")
        navigate("/settings/import-rules", { replace: true })
      },
      onError: (e) => toast.error("Could not delete the rule", { description: errorMessage(e) }),
    })
  }

  return (
    <form onSubmit={submit} aria-label={id ? "Edit import rule" : "Create import rule"}>
      <TwoColumn
        main={
          <>
            <Container className="divide-y p-0">
              <SectionHeader
                level="h1"
                title={id ? draft.name || "Import rule" : "Create import rule"}
                description="A rule runs on every order its channels import, after the order import settings said to import it."
                actions={
                  <>
                    {id ? (
                      <Button size="small" variant="transparent" type="button" onClick={onDelete} isLoading={remove.isPending}>
                        <Trash />
                        Delete
                      </Button>
                    ) : null}
                    <Button size="small" variant="secondary" type="button" onClick={() => navigate("/settings/import-rules")}>
                      Cancel
                    </Button>
                    <Button size="small" type="submit" isLoading={saving}>
                      {id ? "Save" : "Create"}
                    </Button>
                  </>
                }
              />
              {errors.length ? (
                <div ref={errorsRef} tabIndex={-1} role="alert" className="bg-ui-bg-subtle flex flex-col gap-y-1 px-6 py-3 outline-none">
                  <Text size="small" weight="plus" className="text-ui-fg-error">
                    Fix these problems and save again:
                  </Text>
                  <ul className="list-disc pl-5">
                    {errors.map((e) => (
                      <li key={e}>
                        <Text size="small" className="text-ui-fg-error font-mono">
                          {e}
                        </Text>
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              <div className="grid grid-cols-1 gap-4 px-6 py-4 md:grid-cols-[2fr_1fr]">
                <div className="flex flex-col gap-y-1.5">
                  <Label htmlFor="rule-name" size="small" weight="plus">
                    Name
                  </Label>
                  <Input id="rule-name" size="small" value={draft.name} onChange={(e) => set("name", e.target.value)} placeholder="Hold big quantities" />
                  <Hint>Shown on holds, alerts and in the dry run.</Hint>
                </div>
                <div className="flex flex-col gap-y-1.5">
                  <Label htmlFor="rule-priority" size="small" weight="plus">
                    Priority
                  </Label>
                  <Input id="rule-priority" size="small" type="number" value={draft.priority} onChange={(e) => set("priority", e.target.value)} />
                  <Hint>Higher runs first and wins a note or metadata key.</Hint>
                </div>
              </div>
              <div className="flex items-center justify-between gap-x-4 px-6 py-4">
                <div className="flex flex-col gap-y-0.5">
                  <Label htmlFor="rule-enabled" size="small" weight="plus">
                    Enabled
                  </Label>
                  <Hint>A disabled rule never matches.</Hint>
                </div>
                <Switch id="rule-enabled" checked={draft.enabled} onCheckedChange={(v) => set("enabled", v)} />
              </div>
            </Container>
            <Container className="divide-y p-0">
              <SectionHeader title="Conditions" description="Which orders the rule applies to. Text is compared ignoring case." />
              <div className="px-6 py-4">
                {catalogueState.isLoading ? (
                  <Text size="small" className="text-ui-fg-muted">
                    Loading the fields…
                  </Text>
                ) : (
                  <GroupEditor group={draft.conditions} onChange={(g) => set("conditions", g)} catalogue={catalogue} />
                )}
              </div>
            </Container>
            <Container className="divide-y p-0">
              <SectionHeader title="Actions" description="What happens to a matching order." />
              <div className="px-6 py-4">
                <ActionsEditor actions={draft.actions} onChange={(a) => set("actions", a)} catalogue={catalogue} />
              </div>
            </Container>
          </>
        }
        side={
          <>
            <Container className="divide-y p-0">
              <SectionHeader title="Channels" description="Which channels' orders the rule checks." />
              <div className="flex flex-col gap-y-3 px-6 py-4">
                <RadioGroup
                  aria-label="Channel scope"
                  value={draft.allChannels ? "all" : "some"}
                  onValueChange={(v) => set("allChannels", v === "all")}
                  className="flex flex-col gap-y-2"
                >
                  <div className="flex items-center gap-x-2">
                    <RadioGroup.Item value="all" id="scope-all" />
                    <Label htmlFor="scope-all" size="small">
                      All channels, including future ones
                    </Label>
                  </div>
                  <div className="flex items-center gap-x-2">
                    <RadioGroup.Item value="some" id="scope-some" />
                    <Label htmlFor="scope-some" size="small">
                      Only these channels
                    </Label>
                  </div>
                </RadioGroup>
                {!draft.allChannels ? (
                  <div className="flex flex-col gap-y-2 pl-6" role="group" aria-label="Channels">
                    {(channels.data?.channels ?? []).map((c) => (
                      <div key={c.id} className="flex items-center gap-x-2">
                        <Checkbox
                          id={`scope-${c.id}`}
                          checked={draft.channel_ids.includes(c.id)}
                          onCheckedChange={(v) =>
                            set("channel_ids", v ? [...draft.channel_ids, c.id] : draft.channel_ids.filter((x) => x !== c.id))
                          }
                        />
                        <Label htmlFor={`scope-${c.id}`} size="small">
                          {c.name} <span className="text-ui-fg-muted">({providerLabel(c.provider)})</span>
                        </Label>
                      </div>
                    ))}
                  </div>
                ) : null}
              </div>
            </Container>
            <DryRunPanel draft={dryRunDraft} draftName={draft.name} />
          </>
        }
      />
    </form>
  )
}

export async function loader({ params }: { params: { id?: string } }) {
  if (!params.id || params.id === "new") return null
  try {
    return await sdk.client.fetch<ImportRuleResponse>(`/admin/import-rules/${params.id}`)
  } catch {
    return null
  }
}

export const handle = {
  breadcrumb: (match: UIMatch<ImportRuleResponse | null>) =>
    match.params.id === "new" ? "Create rule" : match.data?.import_rule?.name ?? "Rule",
}

export default RuleEditorPage
