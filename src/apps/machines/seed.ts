// seed-demo: the original's demo layout (an admin with two machines, a user with four), with the
// password given by seed-demo (DEMO_PASSWORD or generated and printed once), never the original's.
import type { AccountsService } from './accounts.service.js';
import type { MachinesRepository } from './machines.repository.js';

export async function seedMachines(accounts: AccountsService, machines: MachinesRepository, password: string): Promise<string> {
  const admin = await accounts.createUser({ username: 'admin', email: 'admin@example.com', password, first_name: 'admin', staff: true });
  const user = await accounts.createUser({ username: 'operator', email: 'operator@example.com', password, first_name: 'demo' });
  const existing = await machines.list(null, 1, 0);
  if (existing.length === 0) {
    for (let i = 1; i <= 6; i++) {
      await machines.insert(i <= 2 ? admin.id : user.id, { name: `test${i}`, location: `line-${i}`, status: 1 });
    }
  }
  return 'users "admin" (staff) and "operator", machines test1…test6';
}
