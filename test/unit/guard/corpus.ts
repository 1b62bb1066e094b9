/**
 * Labelled corpus for the output-guard detectors: each text with the exact values that must be
 * found, by detector. Texts without labels are near-misses that must pass: order numbers, UUIDs,
 * hashes in code, version strings, ISBNs, timestamps, prices, masked keys. All credentials here
 * are made up (right format, random characters); card numbers are the networks' test numbers.
 */
export interface Sample {
  text: string;
  expect: Array<[detector: string, value: string]>;
}

export const CORPUS: Sample[] = [
  // --- secrets: positives
  { text: "Use this key: sk-proj-Xq3vT9mKp2LrW8sN4bYc7HdF1gJ6zA0eQ5uR for the call.", expect: [["openai_api_key", "sk-proj-Xq3vT9mKp2LrW8sN4bYc7HdF1gJ6zA0eQ5uR"]] },
  { text: "OPENAI_API_KEY=sk-4fGh8JkL2mNp6QrS9tUv3WxY7zAb1CdE5fGh8JkL2mNp6QrS", expect: [["openai_api_key", "sk-4fGh8JkL2mNp6QrS9tUv3WxY7zAb1CdE5fGh8JkL2mNp6QrS"]] },
  { text: "client = Anthropic(api_key=\"sk-ant-api03-h7Gk2Lm9Np4Qr8St1Uv6Wx3Yz0Ab5Cd7Ef2Gh9Ij4Kl6Mn-Op1Qr3StAA\")", expect: [["anthropic_api_key", "sk-ant-api03-h7Gk2Lm9Np4Qr8St1Uv6Wx3Yz0Ab5Cd7Ef2Gh9Ij4Kl6Mn-Op1Qr3StAA"]] },
  { text: "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", expect: [["aws_access_key", "AKIAIOSFODNN7EXAMPLE"], ["aws_secret_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]] },
  { text: "The temporary credentials start with ASIAZ4QW7RTY2UIOP3LK as usual.", expect: [["aws_access_key", "ASIAZ4QW7RTY2UIOP3LK"]] },
  { text: "git clone https://ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8@github.com/acme/app", expect: [["github_token", "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"]] },
  { text: "token: github_pat_11ABCDEFG0a1b2c3d4e5f6_g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6A7B8C9D0E1F2G3H4", expect: [["github_token", "github_pat_11ABCDEFG0a1b2c3d4e5f6_g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6A7B8C9D0E1F2G3H4"]] },
  { text: "export GITLAB_TOKEN=glpat-9xK2mP4qR7sT1vW3yZ5b", expect: [["gitlab_token", "glpat-9xK2mP4qR7sT1vW3yZ5b"]] },
  { text: "SLACK_BOT_TOKEN is xoxb-2048-6620-Ab3dE5gH7jK9mN1pQ3rS in the env.", expect: [["slack_token", "xoxb-2048-6620-Ab3dE5gH7jK9mN1pQ3rS"]] },
  {
    text: "Authorization header: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    expect: [["jwt", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"]],
  },
  {
    text: "Here it is:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----\nKeep it safe.",
    expect: [["private_key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----"]],
  },
  { text: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", expect: [["private_key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"]] },
  { text: "DB_PASSWORD=Zt9#qLx2!vR7mKp4", expect: [["credential", "Zt9#qLx2!vR7mKp4"]] },
  { text: "curl -H 'Authorization: Bearer 9f8KxQ2mZr7LpV4tN1wY6sB3' https://api.example.com", expect: [["credential", "9f8KxQ2mZr7LpV4tN1wY6sB3"]] },
  { text: "{\"client_secret\": \"Qm7Rt2Vx9Kp4Ls8Nw3Yz6Bd1\"}", expect: [["credential", "Qm7Rt2Vx9Kp4Ls8Nw3Yz6Bd1"]] },
  // --- secrets: near-misses
  { text: "Commit 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39 fixed it; see also a1b2c3d.", expect: [] },
  { text: "const id = \"550e8400-e29b-41d4-a716-446655440000\"; // request UUID", expect: [] },
  { text: "sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", expect: [] },
  { text: "Upgrade to v2.14.3-rc.1 (build 20240115.3) before Friday.", expect: [] },
  { text: "OPENAI_API_KEY=sk-... (set your own key here)", expect: [] },
  { text: "api_key = os.environ[\"OPENAI_API_KEY\"]", expect: [] },
  { text: "password: ********", expect: [] },
  { text: "The task-runner uses sk-learn style estimators and a risk-assessment matrix.", expect: [] },
  { text: "token = getAuthTokenFromCache()", expect: [] },
  { text: "Set the secret to <your-secret-here> and restart.", expect: [] },
  { text: "The AKIA prefix marks long-term AWS keys; ASIA marks temporary ones.", expect: [] },
  { text: "Install with pip install eyJhbGci-tools==1.0", expect: [] },
  { text: "Our password policy: at least 12 characters, one digit.", expect: [] },
  { text: "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----", expect: [] },
  { text: "ghp_ tokens are classic personal access tokens; glpat- tokens are GitLab's.", expect: [] },
  { text: "Base64 of hello world is aGVsbG8gd29ybGQ= and that is fine.", expect: [] },
  // --- PII: positives
  { text: "Write to jane.doe+billing@example.co.uk for invoices.", expect: [["email", "jane.doe+billing@example.co.uk"]] },
  { text: "Contact: m.mueller@firma-beispiel.de, Tel. +49 30 901820", expect: [["email", "m.mueller@firma-beispiel.de"], ["phone", "+49 30 901820"]] },
  { text: "Call me at (415) 555-2671 after five.", expect: [["phone", "(415) 555-2671"]] },
  { text: "Our London office: +44 20 7946 0958.", expect: [["phone", "+44 20 7946 0958"]] },
  { text: "Card on file: 4111 1111 1111 1111, exp 12/27.", expect: [["payment_card", "4111 1111 1111 1111"]] },
  { text: "Charge 5555-5555-5555-4444 for the order.", expect: [["payment_card", "5555-5555-5555-4444"]] },
  { text: "Amex 378282246310005 was declined.", expect: [["payment_card", "378282246310005"]] },
  { text: "Pay to IBAN DE89 3704 0044 0532 0130 00, reference 7781.", expect: [["iban", "DE89 3704 0044 0532 0130 00"]] },
  { text: "GB82WEST12345698765432 is the account.", expect: [["iban", "GB82WEST12345698765432"]] },
  { text: "His SSN is 536-22-8417 according to the form.", expect: [["us_ssn", "536-22-8417"]] },
  { text: "DNI 12345678Z, NIE X1234567L.", expect: [["es_dni", "12345678Z"], ["es_dni", "X1234567L"]] },
  { text: "CPF do cliente: 529.982.247-25", expect: [["br_cpf", "529.982.247-25"]] },
  { text: "Aadhaar 2341 2341 2346 on record.", expect: [["in_aadhaar", "2341 2341 2346"]] },
  // --- PII: near-misses
  { text: "Order #4532015112830367 shipped on 2024-03-18.", expect: [] },
  { text: "Order 2125551234 was refunded.", expect: [] },
  { text: "ISBN 978-3-16-148410-0 and ISBN-13 9780306406157.", expect: [] },
  { text: "Pinned @types/node@20.19.43 and eslint@9.1.0 in package.json.", expect: [] },
  { text: "Use icon@2x.png for retina screens.", expect: [] },
  { text: "Version 1.2.3.4 was released at 12:30:45 on 2024-01-15.", expect: [] },
  { text: "Total: $1,234,567.89 across 3 invoices (INV-2024-0042).", expect: [] },
  { text: "Tracking number 1Z999AA10123456784, weight 2.5 kg.", expect: [] },
  { text: "DE89 is a country and check digit pair, nothing more.", expect: [] },
  { text: "SSN format is 000-00-0000; 123-45-6789 is the usual example.", expect: [] },
  { text: "The part number is 12345678A in the catalogue.", expect: [] },
  { text: "Coordinates 48.8584, 2.2945 and port 8080.", expect: [] },
  { text: "Serial 4000 0000 0000 0001 is not a valid card.", expect: [] },
  { text: "UUID 123e4567-e89b-12d3-a456-426614174000 in the log.", expect: [] },
  { text: "for i in range(1000000): total += i * 31337", expect: [] },
  { text: "user@localhost cannot receive mail from outside.", expect: [] },
  { text: "Timestamp 1700000000123 and nonce 9876543210.", expect: [] },
  // --- near-misses added in the attacker's audit (issue 13 review)
  { text: "Pull image@sha256:9b2a6f1c3e4d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1 from the registry.", expect: [] },
  { text: "Role arn:aws:iam::123456789012:role/deploy-bot assumes the policy.", expect: [] },
  { text: "<div class=\"sk-spinner sk-spinner-wave\"></div> shows a loader.", expect: [] },
  { text: "<img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\">", expect: [] },
  { text: "Release 2024.10.15-build.4481 ships with node 20.11.1 and go1.22.3.", expect: [] },
  { text: "Lookup key = user_profile_cache_v2 in redis.", expect: [] },
  { text: "Invoice 2024-000123-45 and batch 7700-1234-5678-90.", expect: [] },
  { text: "مىخواهم‌ این را بنویسم و mail@ نیست.", expect: [] },
];
