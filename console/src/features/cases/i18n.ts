/**
 * The cases feature's catalogue (namespace `cases`): intake with the caller's screen-pop, the
 * queue, the case page and escalations. Chinese defines the keys; English must match (compiler).
 */
import { registerCatalogue } from '../../shared/i18n.js';

const zh = {
  'intake.phoneHint': '手机或座机，任意格式（如 0571-8888 6666）；已登记的来电会在旁边弹出',
  'intake.unitHint': '按楼栋与房号选择，可输入“1-302”搜索',
  'intake.unitPlaceholder': '楼栋 / 房号',
  'intake.unitProjectFirst': '请先选择项目',
  'intake.categoryPlaceholder': '选择或输入分类',
  'intake.categoryHint': '{type}类下的分类',
  'intake.popTitle': '来电客户',
  'intake.popIdle': '输入来电号码后，这里显示客户的未结工单、房号和最近联系。',
  'intake.popUnknown': '{phone} 不是已登记客户的号码',
  'intake.linked': '已关联',
  'intake.useCustomer': '关联客户 {name}',
  'intake.popOpenCases': '未结工单（{n, plural, other {# 个}}）',
  'intake.popNoOpenCases': '没有未结工单',
  'intake.attach': '接续此工单',
  'intake.popUnits': '房产',
  'intake.popNoUnits': '没有登记的房产',
  'intake.pickUnit': '选为本工单房号',
  'intake.popContacts': '最近联系',
  'intake.popNoContacts': '暂无联系记录',
  'intake.contact.case.opened': '来电登记工单',
  'intake.contact.case.contacted': '处理人首次联系',
  'intake.contact.callback.recorded': '满意度回访',
  'intake.contact.lead.created': '新建线索',
  'intake.contact.lead.touched': '线索跟进',
  'intake.contact.sale.subscribed': '认购',
  'intake.contact.sale.contract_signed': '签约',
  'intake.contact.sale.handed_over': '交付',
  'intake.nextCase': '新建下一个工单',
  'intake.openCreated': '查看工单',

  'caseList.search': '按电话、姓名或工单号查找',
  'caseList.customer': '客户',
  'caseList.unit': '房号',
  'caseList.total': '共 {n, plural, other {# 个工单}}',
  'caseList.noMatch': '没有与“{q}”相符的工单',
};

export type CasesKey = keyof typeof zh;

const en: Record<CasesKey, string> = {
  'intake.phoneHint': 'Mobile or landline, any format (e.g. 0571-8888 6666); a known caller pops up alongside',
  'intake.unitHint': 'By building and room; type "1-302" to search',
  'intake.unitPlaceholder': 'Building / room',
  'intake.unitProjectFirst': 'Choose the project first',
  'intake.categoryPlaceholder': 'Choose or type a category',
  'intake.categoryHint': 'Categories of a {type}',
  'intake.popTitle': 'Caller',
  'intake.popIdle': "Type the caller's number: their open cases, units and last contacts show here.",
  'intake.popUnknown': '{phone} is not the number of a registered customer',
  'intake.linked': 'Linked',
  'intake.useCustomer': 'Link {name}',
  'intake.popOpenCases': 'Open cases ({n})',
  'intake.popNoOpenCases': 'No open case',
  'intake.attach': 'Attach call to this case',
  'intake.popUnits': 'Units',
  'intake.popNoUnits': 'No unit on record',
  'intake.pickUnit': "Use as this case's unit",
  'intake.popContacts': 'Last contacts',
  'intake.popNoContacts': 'No contact yet',
  'intake.contact.case.opened': 'Called in, case opened',
  'intake.contact.case.contacted': 'First contact by the handler',
  'intake.contact.callback.recorded': 'Satisfaction callback',
  'intake.contact.lead.created': 'Lead created',
  'intake.contact.lead.touched': 'Lead follow-up',
  'intake.contact.sale.subscribed': 'Subscription',
  'intake.contact.sale.contract_signed': 'Contract signed',
  'intake.contact.sale.handed_over': 'Handover',
  'intake.nextCase': 'Next case',
  'intake.openCreated': 'Open the case',

  'caseList.search': 'Find by phone, name or case number',
  'caseList.customer': 'Customer',
  'caseList.unit': 'Unit',
  'caseList.total': '{n, plural, one {# case} other {# cases}}',
  'caseList.noMatch': 'No case matches “{q}”',
};

registerCatalogue('cases', { 'zh-CN': zh, en });
