/**
 * The strings of the record-view log (issue 6), merged into the console's dictionaries by i18n.ts.
 * Chinese defines the keys; English must have exactly the same ones (checked by the compiler).
 */
export const RECORD_VIEWS_ZH = {
  'nav.recordViews': '查看记录',
  'nav.recordViews.desc': '谁在何时查看了哪位客户的完整资料',

  'recordViews.title': '客户资料查看记录',
  'recordViews.intro': '每次打开客户、工单、线索或销售详情（含客户身份）以及解密工作流数据都会记录在此，不可修改。项目或公司经理只看到所辖项目内的记录。',
  'recordViews.viewedAt': '查看时间',
  'recordViews.viewer': '查看人',
  'recordViews.customer': '客户',
  'recordViews.record': '经由',
  'recordViews.project': '项目',
  'recordViews.contact': '联系方式',
  'recordViews.contactWhole': '完整',
  'recordViews.contactMasked': '已掩码',
  'recordViews.requestId': '请求编号',
  'recordViews.kind': '类型',
  'recordViews.user': '查看人',
  'recordViews.anyone': '全部人员',
  'recordViews.customerFilter': '仅显示该客户：{name}',
  'recordViews.empty': '没有符合条件的查看记录。',
  'recordViews.whoViewed': '谁查看过',
  'recordViews.kind.customer': '客户资料',
  'recordViews.kind.case': '工单',
  'recordViews.kind.lead': '线索',
  'recordViews.kind.sale': '销售',
  'recordViews.kind.workflow-payloads': '工作流数据解密',
};

export const RECORD_VIEWS_EN: Record<keyof typeof RECORD_VIEWS_ZH, string> = {
  'nav.recordViews': 'Record views',
  'nav.recordViews.desc': "Who viewed which customer's full record, and when",

  'recordViews.title': 'Customer record views',
  'recordViews.intro':
    "Every opening of a customer's, case's, lead's or sale's detail (with the customer's identity) and every decode of workflow payloads is recorded here and cannot be changed. Project and company managers see the views made within their projects.",
  'recordViews.viewedAt': 'Viewed',
  'recordViews.viewer': 'Viewer',
  'recordViews.customer': 'Customer',
  'recordViews.record': 'Through',
  'recordViews.project': 'Project',
  'recordViews.contact': 'Contact details',
  'recordViews.contactWhole': 'Whole',
  'recordViews.contactMasked': 'Masked',
  'recordViews.requestId': 'Request id',
  'recordViews.kind': 'Kind',
  'recordViews.user': 'Viewer',
  'recordViews.anyone': 'Everyone',
  'recordViews.customerFilter': 'Only this customer: {name}',
  'recordViews.empty': 'No record views match.',
  'recordViews.whoViewed': 'Who viewed this',
  'recordViews.kind.customer': 'Customer record',
  'recordViews.kind.case': 'Case',
  'recordViews.kind.lead': 'Lead',
  'recordViews.kind.sale': 'Sale',
  'recordViews.kind.workflow-payloads': 'Workflow payloads decoded',
};
