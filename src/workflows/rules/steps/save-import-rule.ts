import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../../modules/channel"
import type ChannelModuleService from "../../../modules/channel/service"
import { parseImportRule } from "../schema"
import { missingAlertDestinations } from "../../alerts/check-rule-destinations"

/**
 * Validates a rule as a whole (unknown fields, operators, placeholders and wrong value types are
 * refused here, with every problem named) and creates or replaces it.
 */
export const saveImportRuleStep = createStep(
  "save-import-rule",
  async (input: { id?: string; rule: Record<string, unknown> }, { container }) => {
    const parsed = parseImportRule(input.rule)
    if (!parsed.success) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid import rule: ${parsed.errors.join("; ")}`)
    }
    const unknownDestinations = await missingAlertDestinations(container, parsed.rule.actions)
    if (unknownDestinations.length) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid import rule: ${unknownDestinations.join("; ")}`)
    }
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    const data: Record<string, any> = {
      name: parsed.rule.name,
      channel_ids: [...(parsed.rule.channel_ids ?? [])],
      priority: parsed.rule.priority,
      enabled: parsed.rule.enabled,
      conditions: parsed.rule.conditions as any,
      actions: parsed.rule.actions as any,
    }
    if (input.id) {
      const before = await channels.retrieveImportRule(input.id)
      const updated = await channels.updateImportRules({ id: input.id, ...data } as any)
      return new StepResponse(updated as Record<string, any>, { created_id: null as string | null, restore: before as Record<string, any> | null })
    }
    const created = await channels.createImportRules(data as any)
    return new StepResponse(created as Record<string, any>, { created_id: created.id as string | null, restore: null as Record<string, any> | null })
  },
  async (comp, { container }) => {
    if (!comp) return
    const channels: ChannelModuleService = container.resolve(CHANNEL_MODULE)
    if (comp.created_id) await channels.deleteImportRules(comp.created_id)
    if (comp.restore) {
      const { id, name, channel_ids, priority, enabled, conditions, actions } = comp.restore
      await channels.updateImportRules({ id, name, channel_ids, priority, enabled, conditions, actions })
    }
  }
)
