import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/** Written by hand (issue 22): alert destinations, raised alerts (open/cleared) and the alert outbox. */
export class Migration20261204210000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "channel_alert_destination" ("id" text not null, "name" text not null, "kind" text check ("kind" in ('email', 'webhook', 'feed')) not null, "enabled" boolean not null default true, "recipients" jsonb not null default '[]', "template" text null, "url" text null, "format" text check ("format" in ('slack', 'teams', 'generic')) null, "secret_encrypted" text null, "operational_alerts" jsonb not null default '[]', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_alert_destination_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_alert_destination_deleted_at" ON "channel_alert_destination" ("deleted_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "channel_alert" ("id" text not null, "source" text check ("source" in ('rule', 'operational', 'test')) not null, "code" text not null, "key" text not null, "state" text check ("state" in ('open', 'cleared')) null, "severity" text check ("severity" in ('info', 'warning', 'error')) not null default 'warning', "title" text not null, "message" text not null, "channel_id" text null, "rule_id" text null, "order_id" text null, "data" jsonb null, "suppressed" boolean not null default false, "raised_at" timestamptz not null, "cleared_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_alert_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_alert_deleted_at" ON "channel_alert" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_alert_key_raised_at" ON "channel_alert" ("key", "raised_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_alert_source_state" ON "channel_alert" ("source", "state") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "channel_alert_delivery" ("id" text not null, "destination_id" text null, "kind" text check ("kind" in ('email', 'webhook', 'feed')) not null, "group_key" text not null, "recipients" jsonb not null default '[]', "title" text not null, "message" text not null, "severity" text check ("severity" in ('info', 'warning', 'error')) not null default 'warning', "count" integer not null default 1, "lines" jsonb not null default '[]', "alert_ids" jsonb not null default '[]', "first_at" timestamptz not null, "last_at" timestamptz not null, "state" text check ("state" in ('pending', 'sending', 'retrying', 'sent', 'failed')) not null default 'pending', "attempts" integer not null default 0, "next_attempt_at" timestamptz null, "sent_at" timestamptz null, "last_error" text null, "last_status" integer null, "response" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_alert_delivery_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_alert_delivery_deleted_at" ON "channel_alert_delivery" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_alert_delivery_state_next_attempt_at" ON "channel_alert_delivery" ("state", "next_attempt_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_alert_delivery_destination_id_group_key_state" ON "channel_alert_delivery" ("destination_id", "group_key", "state") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "channel_alert_delivery" cascade;`);
    this.addSql(`drop table if exists "channel_alert" cascade;`);
    this.addSql(`drop table if exists "channel_alert_destination" cascade;`);
  }

}
