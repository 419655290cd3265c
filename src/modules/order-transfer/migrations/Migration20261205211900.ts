import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/** Written by hand (issue 19): order exports, status imports, their runs, export records and the orders' transfer timeline. */
export class Migration20261205211900 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "order_export" ("id" text not null, "name" text not null, "description" text null, "enabled" boolean not null default true, "interval_minutes" integer null, "destination" jsonb not null, "credentials_encrypted" text null, "format" text check ("format" in ('csv', 'csv_items', 'json', 'jsonl')) not null default 'csv', "conditions" jsonb null, "status_updates" boolean not null default true, "last_exported_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "order_export_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_order_export_deleted_at" ON "order_export" ("deleted_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "status_import" ("id" text not null, "name" text not null, "description" text null, "enabled" boolean not null default true, "interval_minutes" integer null, "source" jsonb not null, "credentials_encrypted" text null, "format" text check ("format" in ('csv', 'json', 'jsonl')) not null default 'csv', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "status_import_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_status_import_deleted_at" ON "status_import" ("deleted_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "transfer_run" ("id" text not null, "kind" text check ("kind" in ('order_export', 'status_import')) not null, "configuration_id" text not null, "trigger" text check ("trigger" in ('schedule', 'manual')) not null, "status" text check ("status" in ('running', 'succeeded', 'partial', 'failed')) not null default 'running', "started_at" timestamptz not null, "finished_at" timestamptz null, "file" text null, "files" jsonb null, "exported" integer not null default 0, "processed" integer not null default 0, "applied" integer not null default 0, "failed" integer not null default 0, "errors" jsonb null, "error" text null, "error_code" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "transfer_run_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_transfer_run_deleted_at" ON "transfer_run" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_transfer_run_configuration_id_started_at" ON "transfer_run" ("configuration_id", "started_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "order_export_record" ("id" text not null, "order_export_id" text not null, "order_id" text not null, "run_id" text null, "state" text check ("state" in ('exporting', 'exported', 'export_failed')) not null, "file" text null, "exported_at" timestamptz null, "error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "order_export_record_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_order_export_record_deleted_at" ON "order_export_record" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_order_export_record_order_export_id_order_id_unique" ON "order_export_record" ("order_export_id", "order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_order_export_record_order_id" ON "order_export_record" ("order_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "order_transfer_event" ("id" text not null, "order_id" text not null, "configuration_id" text not null, "run_id" text null, "type" text not null, "message" text not null, "data" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "order_transfer_event_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_order_transfer_event_deleted_at" ON "order_transfer_event" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_order_transfer_event_order_id" ON "order_transfer_event" ("order_id") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "order_transfer_event" cascade;`);
    this.addSql(`drop table if exists "order_export_record" cascade;`);
    this.addSql(`drop table if exists "transfer_run" cascade;`);
    this.addSql(`drop table if exists "status_import" cascade;`);
    this.addSql(`drop table if exists "order_export" cascade;`);
  }

}
