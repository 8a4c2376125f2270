// Signs requests with @smithy/signature-v4 (the signer of the AWS SDK for
// JavaScript v3) and prints their Authorization headers, for
// tests/aws/sigv4_smithy_test.cpp to compare with loveless::aws::sign_request.
//
//   node sigv4_sign.mjs requests.json   ->  ["AWS4-HMAC-SHA256 Credential=...", ...]
//
// Each request: {method, path, query: [[name, value]...] (unencoded),
// headers: [[name, value]...], body_base64, region, service, time (ISO 8601),
// credentials: {accessKeyId, secretAccessKey, sessionToken?}}.
import { readFileSync } from "node:fs";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@aws-crypto/sha256-js";

const requests = JSON.parse(readFileSync(process.argv[2], "utf8"));
const results = [];
for (const r of requests) {
  const query = {};
  for (const [name, value] of r.query) {
    if (name in query) {
      query[name] = [].concat(query[name], value);
    } else {
      query[name] = value;
    }
  }
  // A header repeated on the wire is one field to the SDK: its values
  // joined with ',' (RFC 9110), which is how SigV4 canonicalises repeats.
  const headers = {};
  for (const [name, value] of r.headers) {
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]},${value.trim()}` : value.trim();
  }
  const signer = new SignatureV4({
    credentials: r.credentials,
    region: r.region,
    service: r.service,
    sha256: Sha256,
    // Not an S3 request: no x-amz-content-sha256 header.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: r.method,
      protocol: "https:",
      hostname: headers.host,
      path: r.path,
      query,
      headers,
      body: Buffer.from(r.body_base64, "base64"),
    },
    { signingDate: new Date(r.time) },
  );
  results.push(signed.headers.authorization ?? signed.headers.Authorization);
}
process.stdout.write(JSON.stringify(results));
