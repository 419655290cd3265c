import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Written by hand (issue 18): status-change webhooks go through the feedback outbox as rows of kind
 * `status`. `payload` holds the change (previous and current status), `dedupe_key` makes each change
 * recorded at most once, whatever number of events report it.
 */
export class Migration20261205200000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "channel_feedback" drop constraint if exists "channel_feedback_kind_check";`);
    this.addSql(`alter table if exists "channel_feedback" add constraint "channel_feedback_kind_check" check ("kind" in ('shipment', 'cancel', 'status'));`);
    this.addSql(`alter table if exists "channel_feedback" add column if not exists "payload" jsonb null;`);
    this.addSql(`alter table if exists "channel_feedback" add column if not exists "dedupe_key" text null;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_channel_feedback_dedupe_key_unique" ON "channel_feedback" ("dedupe_key") WHERE deleted_at IS NULL AND dedupe_key IS NOT NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_channel_feedback_dedupe_key_unique";`);
    this.addSql(`delete from "channel_feedback" where "kind" = 'status';`);
    this.addSql(`alter table if exists "channel_feedback" drop column if exists "dedupe_key";`);
    this.addSql(`alter table if exists "channel_feedback" drop column if exists "payload";`);
    this.addSql(`alter table if exists "channel_feedback" drop constraint if exists "channel_feedback_kind_check";`);
    this.addSql(`alter table if exists "channel_feedback" add constraint "channel_feedback_kind_check" check ("kind" in ('shipment', 'cancel'));`);
  }

}
