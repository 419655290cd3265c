import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/** Written by hand (issue 18, the B2B order API): API keys of `api` channels and idempotency records. */
export class Migration20261204190000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "channel_api_key" ("id" text not null, "channel_id" text not null, "prefix" text not null, "token_hash" text not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_api_key_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_api_key_deleted_at" ON "channel_api_key" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_channel_api_key_prefix_unique" ON "channel_api_key" ("prefix") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_api_key_channel_id" ON "channel_api_key" ("channel_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "channel_api_request" ("id" text not null, "channel_id" text not null, "api_key_id" text not null, "idempotency_key" text not null, "request_hash" text not null, "status_code" integer null, "response_body" text null, "expires_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "channel_api_request_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_api_request_deleted_at" ON "channel_api_request" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_channel_api_request_channel_id_idempotency_key_unique" ON "channel_api_request" ("channel_id", "idempotency_key") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_api_request_expires_at" ON "channel_api_request" ("expires_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "channel_api_request" cascade;`);
    this.addSql(`drop table if exists "channel_api_key" cascade;`);
  }

}
