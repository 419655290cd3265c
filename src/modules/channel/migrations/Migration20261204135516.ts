import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261204135516 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "order_hold" drop constraint if exists "order_hold_reason_check";`);

    this.addSql(`alter table if exists "channel_order" add column if not exists "reconciliation" jsonb null, add column if not exists "reconciliation_status" text null;`);

    this.addSql(`alter table if exists "order_hold" add constraint "order_hold_reason_check" check("reason" in ('custom_rule', 'duplicate_order', 'not_managed_item', 'insufficient_quantity', 'disabled_source', 'unmapped_shipping_policy', 'status_rule', 'marketplace_canceled', 'manual', 'total_mismatch', 'address_incomplete'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "order_hold" drop constraint if exists "order_hold_reason_check";`);

    this.addSql(`alter table if exists "channel_order" drop column if exists "reconciliation", drop column if exists "reconciliation_status";`);

    this.addSql(`alter table if exists "order_hold" add constraint "order_hold_reason_check" check("reason" in ('custom_rule', 'duplicate_order', 'not_managed_item', 'insufficient_quantity', 'disabled_source', 'unmapped_shipping_policy', 'status_rule', 'marketplace_canceled', 'manual'));`);
  }

}
