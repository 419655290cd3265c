import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261204144124 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "channel_order" drop constraint if exists "channel_order_state_check";`);

    this.addSql(`alter table if exists "channel_order" add column if not exists "import_owner" text null, add column if not exists "import_lease_until" timestamptz null;`);
    this.addSql(`alter table if exists "channel_order" add constraint "channel_order_state_check" check("state" in ('pending', 'importing', 'imported', 'waiting', 'ignored', 'failed'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "channel_order" drop constraint if exists "channel_order_state_check";`);

    this.addSql(`alter table if exists "channel_order" drop column if exists "import_owner", drop column if exists "import_lease_until";`);

    this.addSql(`alter table if exists "channel_order" add constraint "channel_order_state_check" check("state" in ('pending', 'imported', 'waiting', 'ignored', 'failed'));`);
  }

}
