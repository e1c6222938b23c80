// SPDX-License-Identifier: GPL-3.0-or-later
// node-wot's HTTP client cannot present a client certificate by itself,
// and the hub serves only registered clients: every https.Agent made after
// this module is evaluated carries the certificate and key named by
// OPENIOT_CLIENT_CERT and OPENIOT_CLIENT_KEY. Import it before node-wot.
// (It does not pin the hub's certificate: node-wot's allowSelfSigned
// accepts any; our own clients pin, this test consumer does not.)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const https = require("https");
const cert = readFileSync(process.env.OPENIOT_CLIENT_CERT);
const key = readFileSync(process.env.OPENIOT_CLIENT_KEY);
const Agent = https.Agent;

https.Agent = class extends Agent {
  constructor (options) {
    super({ ...options, cert, key });
  }
};
