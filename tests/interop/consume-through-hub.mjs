// SPDX-License-Identifier: GPL-3.0-or-later
// node-wot's own consumer (WoT.consume) on a Thing Description fetched
// through the hub: it resolves the TD's hrefs against the base the hub
// set, and uses the Thing through the hub.
// usage: OPENIOT_CLIENT_CERT=… OPENIOT_CLIENT_KEY=… node consume-through-hub.mjs TD-URL
// Prints one JSON object: the label read, the action's output, the label
// after a write.
import "./client-certificate.mjs";
import core from "@node-wot/core";
import http from "@node-wot/binding-http";

const { Servient } = core;
const { HttpsClientFactory } = http;

const servient = new Servient();
servient.addClientFactory(new HttpsClientFactory({ allowSelfSigned: true }));
const WoT = await servient.start();

const td = await WoT.requestThingDescription(process.argv[2]);
const thing = await WoT.consume(td);
const label = await (await thing.readProperty("label")).value();
const output = await (await thing.invokeAction("increment", { step: 2 })).value();
await thing.writeProperty("label", "through the hub");
const written = await (await thing.readProperty("label")).value();
console.log(JSON.stringify({ label, output, written }));
await servient.shutdown();
