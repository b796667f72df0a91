import { describe, expect, it } from 'vitest';
import { composeSaleNotice } from '../../activities/sales/notify.js';
import { SALE_NOTICE_KINDS } from '../../workflows/sales/sale-lifecycle.defs.js';

const base = {
  saleNumber: 'SL-20261123-0007',
  projectName: '滨江花园',
  unitLabel: '1栋 101',
  timeZone: 'Asia/Shanghai',
  deliveryDate: Date.parse('2027-06-29T16:00:00Z'),
};
const buyer = { ...base, audience: 'buyer' as const, buyerName: '欧阳娜娜', contactName: '项目置业顾问' };

describe('staff notices', () => {
  it('name the sale, the unit and the translated step with its due time in the project time zone', () => {
    const { subject, text } = composeSaleNotice({ ...base, audience: 'staff', kind: 'deadline_reminder', deadline: 'mortgage_documents', dueAt: Date.parse('2026-12-01T02:30:00Z') });
    expect(subject).toBe('[SL-20261123-0007] 按揭资料提交即将到期 / Due soon: mortgage documents submission');
    expect(text).toContain('销售 SL-20261123-0007（滨江花园 1栋 101）');
    expect(text).toContain('截止时间：2026-12-01 10:30（Asia/Shanghai）');
    expect(text).toContain('Due: 2026-12-01 10:30 (Asia/Shanghai)');
    // zh-CN first, then English.
    expect(text.indexOf('事项：按揭资料提交')).toBeLessThan(text.indexOf('Step: mortgage documents submission'));
  });

  it.each([
    ['contract', '签约'],
    ['filing', '网签备案'],
    ['mortgage_documents', '按揭资料提交'],
    ['bank_decision', '银行审批'],
    ['disbursement', '放款'],
    ['full_payment', '全款付清'],
  ] as const)('translate the %s deadline as %s', (deadline, zh) => {
    expect(composeSaleNotice({ ...base, audience: 'staff', kind: 'deadline_missed', deadline, dueAt: 0 }).text).toContain(`事项：${zh}`);
  });

  it('show the delivery date, not a due time, for the inspection', () => {
    const { text } = composeSaleNotice({ ...base, audience: 'staff', kind: 'inspection_invitation', dueAt: base.deliveryDate });
    expect(text).toContain('交付日期：2027-06-30');
    expect(text).not.toContain('截止时间');
  });
});

describe('buyer letters', () => {
  it('confirm a subscription with the reserved unit, the contract deadline and the contact person', () => {
    const { subject, text } = composeSaleNotice({ ...buyer, kind: 'subscribed', dueAt: Date.parse('2026-11-30T09:00:00Z') });
    expect(subject).toBe('[SL-20261123-0007] 滨江花园 1栋 101：认购成功，房源已为您保留 / Subscription confirmed, your unit is reserved');
    expect(text.startsWith('尊敬的欧阳娜娜：')).toBe(true);
    expect(text).toContain('请于 2026-11-30 17:00（Asia/Shanghai）前签订购房合同');
    expect(text).toContain('联系人：项目置业顾问（滨江花园）');
    expect(text).toContain('Dear 欧阳娜娜,');
  });

  it('announce the next steps in the welcome letter: filing, then the payment step of the payment method', () => {
    const dueAt = Date.parse('2026-12-14T02:00:00Z');
    const mortgage = composeSaleNotice({ ...buyer, kind: 'welcome_letter', dueAt, paymentMethod: 'mortgage' }).text;
    expect(mortgage).toContain('网签备案');
    expect(mortgage).toContain('提交按揭贷款资料，请于 2026-12-14 10:00（Asia/Shanghai）前完成');
    expect(mortgage).toContain('submit your mortgage documents to the bank by 2026-12-14 10:00 (Asia/Shanghai)');
    expect(composeSaleNotice({ ...buyer, kind: 'welcome_letter', dueAt, paymentMethod: 'full' }).text).toContain('付清全部房款');
  });

  it('quote the progress note, or say the construction is on schedule with the delivery date', () => {
    expect(composeSaleNotice({ ...buyer, kind: 'progress', progressNote: '主体结构已封顶' }).text).toContain('“主体结构已封顶”');
    const none = composeSaleNotice({ ...buyer, kind: 'progress', progressNote: null }).text;
    expect(none).toContain('工程按计划推进，预计于 2027-06-30 交付');
    expect(none).toContain('Construction is on schedule for delivery on 2027-06-30');
  });

  it('welcome the owner home at handover and mention the property management registration', () => {
    const { text } = composeSaleNotice({ ...buyer, kind: 'handed_over' });
    expect(text).toContain('欢迎回家');
    expect(text).toContain('registered with property management');
  });

  it.each(SALE_NOTICE_KINDS)('can be written for every kind (%s), naming the project and unit', (kind) => {
    const { subject, text } = composeSaleNotice({ ...buyer, kind, deadline: 'filing', dueAt: 0 });
    expect(subject).toContain('滨江花园 1栋 101');
    expect(text).toContain('SL-20261123-0007');
    expect(text).not.toMatch(/undefined|null/);
  });
});
