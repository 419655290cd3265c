import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Channel orders become unique per marketplace account, not per channel record. Existing channels
 * and their orders start as accounts of their own (`channel:<id>`); a channel's next save computes
 * its provider identity and moves its orders to it. Also the watermark table of the feedback sweep.
 */
export class Migration20261204170000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "channel" add column if not exists "account_key" text null;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_account_key" ON "channel" ("account_key") WHERE deleted_at IS NULL;`);
    this.addSql(`update "channel" set "account_key" = 'channel:' || "id" where "account_key" is null;`);

    this.addSql(`alter table if exists "channel_order" add column if not exists "account_key" text null;`);
    this.addSql(`update "channel_order" set "account_key" = 'channel:' || "channel_id" where "account_key" is null;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_channel_order_account_key_external_id_unique" ON "channel_order" ("account_key", "external_id") WHERE deleted_at IS NULL;`);

    // A refusal's structured data (SKUs, shipping service, zod issues), for the admin's fix buttons.
    this.addSql(`alter table if exists "channel_order" add column if not exists "error_data" jsonb null;`);

    // Where the feedback safety net resumes (see sweepMissedFeedback).
    this.addSql(`create table if not exists "channel_sweep" ("id" text not null, "watermark" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_sweep_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_sweep_deleted_at" ON "channel_sweep" ("deleted_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "channel_sweep" cascade;`);
    this.addSql(`alter table if exists "channel_order" drop column if exists "error_data";`);
    this.addSql(`drop index if exists "IDX_channel_order_account_key_external_id_unique";`);
    this.addSql(`alter table if exists "channel_order" drop column if exists "account_key";`);
    this.addSql(`drop index if exists "IDX_channel_account_key";`);
    this.addSql(`alter table if exists "channel" drop column if exists "account_key";`);
  }

}
