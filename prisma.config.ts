import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// Prisma 7's CLI needs a native schema engine download that these machines cannot reach; 6.19 with
// the bundled Wasm engine and a driver adapter works offline. The 7.x
// adapter is used because the 6.19 adapter fails in the schema engine on PostgreSQL `name` columns.
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set / 未设置 DATABASE_URL');
    return new PrismaPg({ connectionString: url });
  },
});
