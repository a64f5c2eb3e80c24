//! The security shape of `bicep/` (docs/deploy.md, "Network and access"): what a deployment must
//! never lose. Each rule names a file and what it must say (tests/bicep.rs checks that every
//! file parses); a copy with one rule broken is caught.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bicep")
}

/// (file, what it must contain, why)
const RULES: &[(&str, &str, &str)] = &[
    (
        "env/prod.bicepparam",
        "param privateNetworking = true",
        "prod keeps PostgreSQL and Key Vault private",
    ),
    (
        "modules/postgres.bicep",
        "firewallRules@2024-08-01' = if (!privateNetworking)",
        "no 'allow all Azure IPs' rule with private networking",
    ),
    (
        "modules/postgres.bicep",
        "publicNetworkAccess: 'Disabled'",
        "a private server has no public endpoint",
    ),
    (
        "modules/postgres.bicep",
        "Microsoft.Insights/diagnosticSettings",
        "PostgreSQL logs reach Log Analytics",
    ),
    (
        "modules/postgres.bicep",
        "Microsoft.Resources/deploymentScripts",
        "the app gets its own database role",
    ),
    (
        "modules/postgres-app-role.sh",
        "NOSUPERUSER NOCREATEDB NOCREATEROLE",
        "the app role is not privileged",
    ),
    (
        "main.bicep",
        "postgres://${postgresAppLogin}:",
        "the app connects as its own role, not the administrator",
    ),
    (
        "main.bicep",
        "sslmode=verify-full",
        "the app verifies the database's certificate",
    ),
    (
        "modules/functionapp.bicep",
        "ftpsState: 'Disabled'",
        "no FTP",
    ),
    (
        "modules/functionapp.bicep",
        "basicPublishingCredentialsPolicies@2024-04-01' = {\n  parent: site\n  name: 'ftp'\n  properties: {\n    allow: false",
        "no basic FTP credentials",
    ),
    (
        "modules/functionapp.bicep",
        "basicPublishingCredentialsPolicies@2024-04-01' = {\n  parent: site\n  name: 'scm'\n  properties: {\n    allow: false",
        "no basic deployment credentials",
    ),
    (
        "modules/functionapp.bicep",
        "ipSecurityRestrictionsDefaultAction: 'Deny'",
        "the functions refuse everyone by default",
    ),
    (
        "modules/functionapp.bicep",
        "ipAddress: 'ApiManagement'",
        "API Management may call the functions",
    ),
    (
        "modules/functionapp.bicep",
        "virtualNetworkSubnetId: privateNetworking ? functionsSubnetId",
        "prod's outbound traffic goes through the VNet",
    ),
    (
        "modules/keyvault.bicep",
        "publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'",
        "Key Vault is private in prod",
    ),
    (
        "modules/keyvault.bicep",
        "Microsoft.Network/privateEndpoints",
        "the app reaches a private Key Vault",
    ),
    (
        "modules/keyvault.bicep",
        "category: 'AuditEvent'",
        "Key Vault access is audited",
    ),
    (
        "modules/apim.bicep",
        "category: 'GatewayLogs'",
        "gateway requests are logged",
    ),
    (
        "modules/monitoring.bicep",
        "DisableLocalAuth: true",
        "telemetry only with Entra ID",
    ),
    (
        "modules/apim-policy.xml",
        "<set-header name=\"X-Client-Address\" exists-action=\"override\">",
        "the app's per-address limits see the real caller",
    ),
];

fn problems(dir: &Path) -> Vec<String> {
    RULES
        .iter()
        .filter(|(file, must, _)| {
            let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
            !text.contains(must)
        })
        .map(|(file, _, why)| format!("{file}: {why}"))
        .collect()
}

#[test]
fn bicep_keeps_its_closed_doors() {
    let found = problems(&root());
    assert!(found.is_empty(), "{found:#?}");
    let dev = std::fs::read_to_string(root().join("env/dev.bicepparam")).unwrap();
    assert!(
        dev.contains("param privateNetworking = false"),
        "dev's shape is documented as public"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn an_opened_door_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root(), tmp.path());
    let breaks = [
        (
            "modules/functionapp.bicep",
            "ftpsState: 'Disabled'",
            "ftpsState: 'AllAllowed'",
        ),
        (
            "env/prod.bicepparam",
            "param privateNetworking = true",
            "param privateNetworking = false",
        ),
        (
            "modules/monitoring.bicep",
            "DisableLocalAuth: true",
            "DisableLocalAuth: false",
        ),
        (
            "main.bicep",
            "postgres://${postgresAppLogin}:",
            "postgres://${postgresAdminLogin}:",
        ),
    ];
    for (file, from, to) in breaks {
        let path = tmp.path().join(file);
        let original = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, original.replace(from, to)).unwrap();
        assert_eq!(problems(tmp.path()).len(), 1, "{file}: {to}");
        std::fs::write(&path, original).unwrap();
    }
}
