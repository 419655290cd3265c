import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { replaceStatusRulesStep } from "./steps/replace-status-rules"
import type { StatusRuleInput } from "../../modules/channel/types/provider"

export const replaceStatusRulesWorkflow = createWorkflow(
  "channel-orders-replace-status-rules",
  (input: { channel_id: string; status_rules: StatusRuleInput[] }) => {
    return new WorkflowResponse(replaceStatusRulesStep(input))
  }
)
