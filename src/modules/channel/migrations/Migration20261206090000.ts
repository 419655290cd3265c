import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Written by hand (issue 20, import health): "failed per hour" and "failures by reason" count the
 * `failed` events of the import timeline by the time they happened, over the last days, so a failure
 * still counts after the order was fixed and imported. This index finds the failure events of a time
 * window without reading the whole timeline. Not declared on the model (a partial index the module's
 * own queries do not need).
 */
export class Migration20261206090000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_order_event_type_created_at" ON "channel_order_event" ("type", "created_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX IF EXISTS "IDX_channel_order_event_type_created_at";`);
  }

}
