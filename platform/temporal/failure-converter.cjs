// The failure converter of every worker, loaded by path (`failureConverterPath`) both by the
// worker itself and into the workflow bundle, so it is plain CommonJS that needs no TypeScript
// loader. It moves every failure's message and stack trace into `encodedAttributes`, a payload,
// which the payload codec then encrypts: a history holds "Encoded failure" instead of text that
// may repeat a customer's data. Clients decode it with their payload codec whatever converter
// they use (the SDK reads encodedAttributes unconditionally).
'use strict';
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
