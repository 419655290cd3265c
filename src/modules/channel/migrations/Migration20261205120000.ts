import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Written by hand (issue 16): every failed marketplace call of a run, retried ones included, in a
 * bounded list (`errors`, the first 50) plus a count of those past the cap (`errors_dropped`).
 */
export class Migration20261205120000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "channel_import_run" add column if not exists "errors" jsonb null;`);
    this.addSql(`alter table if exists "channel_import_run" add column if not exists "errors_dropped" integer not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "channel_import_run" drop column if exists "errors_dropped";`);
    this.addSql(`alter table if exists "channel_import_run" drop column if exists "errors";`);
  }

}
