// Medusa's DML keeps entity metadata in a global store; clear it so each test file starts clean.
const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")
MetadataStorage.clear()
