import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/** Written by hand (issue 17, item 4): a failed run's machine-readable reason, e.g. `credentials_undecryptable`. */
export class Migration20261205090000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "channel_import_run" add column if not exists "error_code" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "channel_import_run" drop column if exists "error_code";`);
  }

}
