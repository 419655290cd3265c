import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Written by hand (issue 20, the marketplace desk): the indexes its list filters need to stay fast at
 * 100,000 channel orders. The list is ordered by `updated_at desc, id desc`; "received from/to"
 * filters `created_at`; the search matches a marketplace number by its beginning (`like 'x%'`, hence
 * `text_pattern_ops`); the marketplace status filter; and "on hold (for reason R)" probes the open
 * holds of an order. Not declared on the models (a partial index with an operator class cannot be).
 */
export class Migration20261205210000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_order_desk_updated" ON "channel_order" ("updated_at" DESC, "id" DESC) WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_order_desk_created" ON "channel_order" ("created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_order_desk_external_id_prefix" ON "channel_order" ("external_id" text_pattern_ops) WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_channel_order_desk_external_status" ON "channel_order" ("external_status") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_order_hold_open" ON "order_hold" ("order_id", "reason") WHERE released_at IS NULL AND deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX IF EXISTS "IDX_channel_order_desk_updated";`);
    this.addSql(`DROP INDEX IF EXISTS "IDX_channel_order_desk_created";`);
    this.addSql(`DROP INDEX IF EXISTS "IDX_channel_order_desk_external_id_prefix";`);
    this.addSql(`DROP INDEX IF EXISTS "IDX_channel_order_desk_external_status";`);
    this.addSql(`DROP INDEX IF EXISTS "IDX_order_hold_open";`);
  }

}
