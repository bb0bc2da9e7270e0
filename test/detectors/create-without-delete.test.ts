import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWithoutDelete } from '../../src/detectors/direction/create-without-delete.ts';
import { detect } from '../helpers/detector.ts';

describe('direction/create-without-delete', () => {
  it('names records the code creates and updates but never deletes', () => {
    const findings = detect(createWithoutDelete, {
      'src/services/projects.ts': [
        'export class ProjectService {',
        '  async createProject(input: NewProject) {',
        '    return db.project.create({ data: input });',
        '  }',
        '  async updateProject(id: string, input: Partial<NewProject>) {',
        '    return db.project.update({ where: { id }, data: input });',
        '  }',
        '}',
      ].join('\n'),
      'app/comments.py': [
        'class CommentRepo:',
        '    def add_comment(self, text):',
        '        self.session.add(Comment(text=text))',
        '    def edit_comment(self, comment_id, text):',
        '        pass',
      ].join('\n'),
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.title, '2 kinds of record can be created and updated but never deleted');
    assert.match(
      findings[0]?.message ?? '',
      /comment \(`add_comment`, `edit_comment`\), project \(`createProject`, `updateProject`\)/,
    );
    assert.equal(findings[0]?.confidence, 'LOW');
  });

  it('reads only the create function’s own lines for a write, and a lower-case receiver’s create() is no model (Ghost’s Stripe wrapper)', () => {
    const findings = detect(createWithoutDelete, {
      'core/server/services/stripe/stripe-api.js': [
        'module.exports = class StripeAPI {',
        '  async createBillingPortalConfiguration(options) {',
        '    await this._rateLimitBucket.throttle();',
        '    return await this._stripe.billingPortal.configurations.create(options);',
        '  }',
        '  async updateBillingPortalConfiguration(id, options) {',
        '    await this._rateLimitBucket.throttle();',
        '    return await this._stripe.billingPortal.configurations.update(id, options);',
        '  }',
        '  async createCustomer(options) {',
        '    return await this._stripe.customers.create(options);',
        '  }',
        '  async saveLog(entry) {',
        "    await db.table('stripe_log').insert(entry);",
        '  }',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });

  it('is satisfied by any delete path: a function, an ORM call or a DELETE route', () => {
    const findings = detect(createWithoutDelete, {
      'src/users.ts': [
        'export async function createUser(data: NewUser) { return prisma.user.create({ data }); }',
        'export async function updateUser(id: string, data: NewUser) { return prisma.user.update({ where: { id }, data }); }',
        'export const removeUserAccount = (id: string) => prisma.user.delete({ where: { id } });',
      ].join('\n'),
      'src/tags.ts': [
        'export function createTag(name: string) { return Tag.create({ name }); }',
        'export function updateTag(id: number, name: string) { return Tag.update({ name }, { where: { id } }); }',
      ].join('\n'),
      'src/routes.ts':
        "router.delete('/tags/:id', async (req, res) => { await Tag.destroy({ where: { id: req.params.id } }); });\n",
      'src/server.ts': 'export function createServer() {}\nexport function updateServer() {}\n',
      'src/menu.ts': [
        'export function addSeparator(menu: Menu) { menu.items.push("-"); }',
        'export function editSeparator(menu: Menu) { menu.items[0] = "--"; }',
      ].join('\n'),
      'test/fixtures.ts': 'export function createWidget() {}\nexport function updateWidget() {}\n',
    });
    assert.deepEqual(findings, []);
  });
});
