import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261122124611 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "order_tag" drop constraint if exists "order_tag_order_id_normalized_unique";`);
    this.addSql(`alter table if exists "channel_status_rule" drop constraint if exists "channel_status_rule_channel_id_external_status_unique";`);
    this.addSql(`alter table if exists "channel_sku_mapping" drop constraint if exists "channel_sku_mapping_channel_id_external_sku_unique";`);
    this.addSql(`alter table if exists "channel_sandbox_order" drop constraint if exists "channel_sandbox_order_channel_id_external_id_unique";`);
    this.addSql(`alter table if exists "channel_order" drop constraint if exists "channel_order_channel_id_external_id_unique";`);
    this.addSql(`alter table if exists "channel_invoice" drop constraint if exists "channel_invoice_order_id_unique";`);
    this.addSql(`alter table if exists "channel_feedback" drop constraint if exists "channel_feedback_fulfillment_id_kind_unique";`);
    this.addSql(`create table if not exists "channel" ("id" text not null, "name" text not null, "provider" text not null, "enabled" boolean not null default true, "credentials_encrypted" text null, "settings" jsonb not null default '{}', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_deleted_at" ON "channel" ("deleted_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "channel_feedback" ("id" text not null, "channel_id" text not null, "channel_order_id" text not null, "order_id" text not null, "fulfillment_id" text null, "kind" text check ("kind" in ('shipment', 'cancel')) not null default 'shipment', "state" text check ("state" in ('pending', 'sending', 'sent', 'confirmed', 'failed')) not null default 'pending', "items" jsonb not null default '[]', "carrier_code" text null, "carrier_name" text null, "tracking_numbers" jsonb not null default '[]', "shipped_at" timestamptz null, "attempts" integer not null default 0, "next_attempt_at" timestamptz null, "error_code" text null, "error_message" text null, "response" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_feedback_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_feedback_deleted_at" ON "channel_feedback" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_feedback_state_next_attempt_at" ON "channel_feedback" ("state", "next_attempt_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_channel_feedback_fulfillment_id_kind_unique" ON "channel_feedback" ("fulfillment_id", "kind") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_feedback_order_id" ON "channel_feedback" ("order_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "channel_import_run" ("id" text not null, "channel_id" text not null, "trigger" text check ("trigger" in ('schedule', 'manual', 'retry')) not null, "status" text check ("status" in ('running', 'succeeded', 'failed')) not null default 'running', "started_at" timestamptz not null, "finished_at" timestamptz null, "window_from" timestamptz null, "window_to" timestamptz null, "fetched" integer not null default 0, "imported" integer not null default 0, "waiting" integer not null default 0, "ignored" integer not null default 0, "failed" integer not null default 0, "skipped" integer not null default 0, "pages" integer not null default 0, "error" text null, "cursor" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_import_run_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_import_run_deleted_at" ON "channel_import_run" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_import_run_channel_id_started_at" ON "channel_import_run" ("channel_id", "started_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "channel_invoice" ("id" text not null, "number" serial, "order_id" text not null, "channel_order_id" text null, "issued_at" timestamptz not null, "currency_code" text not null, "subtotal" numeric not null, "tax_total" numeric not null, "shipping_total" numeric not null, "total" numeric not null, "raw_subtotal" jsonb not null, "raw_tax_total" jsonb not null, "raw_shipping_total" jsonb not null, "raw_total" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_invoice_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_invoice_deleted_at" ON "channel_invoice" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_channel_invoice_order_id_unique" ON "channel_invoice" ("order_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "channel_order" ("id" text not null, "channel_id" text not null, "external_id" text not null, "external_status" text null, "external_updated_at" timestamptz null, "raw" jsonb null, "normalized" jsonb null, "action" text null, "state" text check ("state" in ('pending', 'imported', 'waiting', 'ignored', 'failed')) not null default 'pending', "error_code" text null, "error_message" text null, "attempts" integer not null default 0, "order_id" text null, "imported_at" timestamptz null, "rule_effects" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_order_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_order_deleted_at" ON "channel_order" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_channel_order_channel_id_external_id_unique" ON "channel_order" ("channel_id", "external_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_order_state" ON "channel_order" ("state") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_order_order_id" ON "channel_order" ("order_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "channel_order_event" ("id" text not null, "channel_order_id" text not null, "order_id" text null, "type" text not null, "message" text not null, "data" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_order_event_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_order_event_deleted_at" ON "channel_order_event" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_order_event_channel_order_id" ON "channel_order_event" ("channel_order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_order_event_order_id" ON "channel_order_event" ("order_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "channel_provider_cache" ("id" text not null, "value_encrypted" text not null, "expires_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_provider_cache_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_provider_cache_deleted_at" ON "channel_provider_cache" ("deleted_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "channel_rate_bucket" ("id" text not null, "tokens" real not null, "refilled_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_rate_bucket_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_rate_bucket_deleted_at" ON "channel_rate_bucket" ("deleted_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "channel_sandbox_order" ("id" text not null, "channel_id" text not null, "external_id" text not null, "payload" jsonb not null, "external_updated_at" timestamptz not null, "sequence" serial, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_sandbox_order_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_sandbox_order_deleted_at" ON "channel_sandbox_order" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_channel_sandbox_order_channel_id_external_id_unique" ON "channel_sandbox_order" ("channel_id", "external_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_sandbox_order_channel_id_external_updated_at" ON "channel_sandbox_order" ("channel_id", "external_updated_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "channel_sku_mapping" ("id" text not null, "channel_id" text not null, "external_sku" text not null, "variant_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_sku_mapping_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_sku_mapping_deleted_at" ON "channel_sku_mapping" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_channel_sku_mapping_channel_id_external_sku_unique" ON "channel_sku_mapping" ("channel_id", "external_sku") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "channel_status_rule" ("id" text not null, "channel_id" text not null, "external_status" text not null, "action" text check ("action" in ('do_not_import', 'import_as_valid', 'import_and_invoice', 'import_and_cancel', 'import_and_hold', 'import_and_complete', 'import_as_history')) not null, "retry" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_status_rule_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_status_rule_deleted_at" ON "channel_status_rule" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_channel_status_rule_channel_id_external_status_unique" ON "channel_status_rule" ("channel_id", "external_status") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "import_rule" ("id" text not null, "name" text not null, "channel_ids" jsonb not null default '[]', "priority" integer not null default 0, "enabled" boolean not null default true, "conditions" jsonb not null, "actions" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "import_rule_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_import_rule_deleted_at" ON "import_rule" ("deleted_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "order_hold" ("id" text not null, "order_id" text not null, "channel_order_id" text null, "reason" text check ("reason" in ('custom_rule', 'duplicate_order', 'not_managed_item', 'insufficient_quantity', 'disabled_source', 'unmapped_shipping_policy', 'status_rule', 'marketplace_canceled', 'manual')) not null, "detail" text null, "rule_id" text null, "created_by" text null, "released_at" timestamptz null, "released_by" text null, "release_note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "order_hold_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_order_hold_deleted_at" ON "order_hold" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_order_hold_order_id" ON "order_hold" ("order_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "order_tag" ("id" text not null, "order_id" text not null, "value" text not null, "normalized" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "order_tag_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_order_tag_deleted_at" ON "order_tag" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_order_tag_order_id_normalized_unique" ON "order_tag" ("order_id", "normalized") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_order_tag_normalized" ON "order_tag" ("normalized") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "channel" cascade;`);

    this.addSql(`drop table if exists "channel_feedback" cascade;`);

    this.addSql(`drop table if exists "channel_import_run" cascade;`);

    this.addSql(`drop table if exists "channel_invoice" cascade;`);

    this.addSql(`drop table if exists "channel_order" cascade;`);

    this.addSql(`drop table if exists "channel_order_event" cascade;`);

    this.addSql(`drop table if exists "channel_provider_cache" cascade;`);

    this.addSql(`drop table if exists "channel_rate_bucket" cascade;`);

    this.addSql(`drop table if exists "channel_sandbox_order" cascade;`);

    this.addSql(`drop table if exists "channel_sku_mapping" cascade;`);

    this.addSql(`drop table if exists "channel_status_rule" cascade;`);

    this.addSql(`drop table if exists "import_rule" cascade;`);

    this.addSql(`drop table if exists "order_hold" cascade;`);

    this.addSql(`drop table if exists "order_tag" cascade;`);
  }

}
