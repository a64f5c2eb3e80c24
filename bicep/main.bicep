// Event Marketing on Azure: one Function App (Flex Consumption, custom handler) behind API
// Management, PostgreSQL Flexible Server, Service Bus, Blob Storage, Key Vault, Application
// Insights, and in prod a virtual network that keeps PostgreSQL and Key Vault private. Deploy
// with infra/deploy (docs/deploy.md); the parameter files read the secrets from EM_* variables in
// the deploying shell.
targetScope = 'resourceGroup'

@description('Short product name used in every resource name (lowercase letters and digits).')
@minLength(3)
@maxLength(10)
param appName string = 'evmkt'

@allowed(['dev', 'prod'])
param environment string

@description('Region of every resource. Flex Consumption must be offered there: `az functionapp list-flexconsumption-locations`.')
param location string = resourceGroup().location

// ---- sizing (set per environment in env/*.bicepparam)
param postgresSkuName string
@allowed(['Burstable', 'GeneralPurpose', 'MemoryOptimized'])
param postgresSkuTier string
param postgresStorageGb int
@allowed(['Disabled', 'ZoneRedundant', 'SameZone'])
param postgresHighAvailability string
param postgresBackupRetentionDays int
@description('Connections each Function App instance may open (instances × this must stay under the server\'s max_connections).')
param databaseMaxConnections int
@description('Per function group (HTTP, each worker, each timer): Flex Consumption accepts 40–1000.')
@minValue(40)
@maxValue(1000)
param functionMaximumInstances int
@allowed([512, 2048, 4096])
param functionInstanceMemoryMb int
@description('Always-ready instances for the HTTP functions (0 = scale from zero).')
param alwaysReadyHttpInstances int
@allowed(['Consumption', 'BasicV2', 'StandardV2'])
param apimSku string
param apimCapacity int
@allowed(['Standard_LRS', 'Standard_ZRS'])
param storageSku string
param logRetentionDays int
param keyVaultSoftDeleteDays int
param keyVaultPurgeProtection bool
@description('A virtual network for the Function App\'s outbound traffic, with PostgreSQL (private access) and Key Vault (private endpoint) inside it and no public endpoints (prod).')
param privateNetworking bool

// ---- API gateway
param apimPublisherEmail string
param apimPublisherName string = 'Event Marketing'
@description('Origins of the web console allowed by CORS, e.g. https://console.example.kr')
param consoleOrigins array
@description('Calls per minute one client (IP address) may make; enforced on BasicV2/StandardV2 (Consumption cannot rate-limit by key).')
param rateLimitCallsPerMinute int = 120
@description('Largest request body API Management lets through, in bytes (the app refuses more than MAX_BODY_BYTES too).')
param maxRequestBodyBytes int = 65536

// ---- secrets (never in a parameter file)
param postgresAdminLogin string = 'evmktadmin'
@secure()
param postgresAdminPassword string
@description('The app\'s own database role (owner of the `app` schema; never the administrator).')
@minLength(3)
@maxLength(30)
param postgresAppLogin string = 'evmkt_app'
@secure()
@description('The app role\'s password (goes to Key Vault inside DATABASE_URL).')
param postgresAppPassword string
@secure()
@description('HS256 signing key for access tokens, at least 32 bytes: `openssl rand -hex 32`.')
param jwtSecret string
@secure()
@description('The key ring that seals owners\' channel tokens and keys: `id:base64key`, 32-byte keys, newest first. Keep it: a new ring cannot open what the old one sealed (rotate by putting a new key in front).')
param channelSecretKeys string
@secure()
@description('The key ring that seals customers\' names and phone numbers and draw seeds (`id:base64key`, 32-byte keys, newest first). Keep it: sealed data cannot be opened without it.')
param personalDataKeys string
@secure()
@description('The HMAC key ring that tags phone numbers (`id:base64key`, 32-byte keys, newest first); must differ from personalDataKeys. Keep older keys until the events tagged with them are purged.')
param phoneHmacKeys string
@secure()
@description('The Function App host key API Management calls with. Empty on the first deployment (no code, so no host, so no key yet): infra/deploy sets it after the code is deployed, and passes the existing key on later deployments.')
param functionKey string = ''

var suffix = uniqueString(resourceGroup().id, appName, environment)
var baseName = '${appName}-${environment}'
var apimName = 'apim-${baseName}-${suffix}'
// The gateway's address is known from its name, so the app can be told it before API
// Management exists (the two reference each other otherwise).
var publicBaseUrl = 'https://${apimName}.azure-api.net'
var tags = {
  app: appName
  environment: environment
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-${baseName}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    baseName: baseName
    location: location
    tags: tags
    retentionDays: logRetentionDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    hostAccountName: take('st${appName}${environment}${suffix}', 24)
    imagesAccountName: take('img${appName}${environment}${suffix}', 24)
    location: location
    tags: tags
    sku: storageSku
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    name: 'sb-${baseName}-${suffix}'
    location: location
    tags: tags
  }
}

module network 'modules/network.bicep' = if (privateNetworking) {
  name: 'network'
  params: {
    baseName: baseName
    location: location
    tags: tags
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    name: 'psql-${baseName}-${suffix}'
    location: location
    tags: tags
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageGb: postgresStorageGb
    highAvailability: postgresHighAvailability
    backupRetentionDays: postgresBackupRetentionDays
    adminLogin: postgresAdminLogin
    adminPassword: postgresAdminPassword
    appLogin: postgresAppLogin
    appPassword: postgresAppPassword
    privateNetworking: privateNetworking
    delegatedSubnetId: privateNetworking ? network!.outputs.postgresSubnetId : ''
    privateDnsZoneId: privateNetworking ? network!.outputs.postgresZoneId : ''
    scriptsSubnetId: privateNetworking ? network!.outputs.scriptsSubnetId : ''
    scriptStorageName: take('scr${appName}${environment}${suffix}', 24)
    workspaceId: monitoring.outputs.workspaceId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: take('kv-${appName}-${environment}-${suffix}', 24)
    location: location
    tags: tags
    softDeleteDays: keyVaultSoftDeleteDays
    purgeProtection: keyVaultPurgeProtection
    // The app's own role (the deployment script created it), the certificate verified.
    databaseUrl: 'postgres://${postgresAppLogin}:${uriComponent(postgresAppPassword)}@${postgres.outputs.fqdn}:5432/${postgres.outputs.databaseName}?sslmode=verify-full'
    jwtSecret: jwtSecret
    channelSecretKeys: channelSecretKeys
    personalDataKeys: personalDataKeys
    phoneHmacKeys: phoneHmacKeys
    serviceBusSenderRuleId: serviceBus.outputs.senderRuleId
    privateNetworking: privateNetworking
    endpointsSubnetId: privateNetworking ? network!.outputs.endpointsSubnetId : ''
    vaultZoneId: privateNetworking ? network!.outputs.vaultZoneId : ''
    workspaceId: monitoring.outputs.workspaceId
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: identity.outputs.principalId
    hostStorageAccountName: storage.outputs.hostAccountName
    imagesStorageAccountName: storage.outputs.imagesAccountName
    keyVaultName: keyVault.outputs.name
    serviceBusName: serviceBus.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  dependsOn: [roles]
  params: {
    name: 'func-${baseName}-${suffix}'
    planName: 'plan-${baseName}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostStorageAccountName: storage.outputs.hostAccountName
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    imagesContainerUrl: storage.outputs.imagesBaseUrl
    serviceBusFqdn: serviceBus.outputs.fqdn
    serviceBusName: serviceBus.outputs.name
    serviceBusSenderRuleName: serviceBus.outputs.senderRuleName
    serviceBusKeyUri: keyVault.outputs.serviceBusKeyUri
    databaseUrlSecretUri: keyVault.outputs.databaseUrlSecretUri
    jwtSecretUri: keyVault.outputs.jwtSecretUri
    channelSecretKeysUri: keyVault.outputs.channelSecretKeysUri
    personalDataKeysUri: keyVault.outputs.personalDataKeysUri
    phoneHmacKeysUri: keyVault.outputs.phoneHmacKeysUri
    publicBaseUrl: publicBaseUrl
    databaseMaxConnections: databaseMaxConnections
    maximumInstances: functionMaximumInstances
    instanceMemoryMb: functionInstanceMemoryMb
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    privateNetworking: privateNetworking
    functionsSubnetId: privateNetworking ? network!.outputs.functionsSubnetId : ''
  }
}

module apim 'modules/apim.bicep' = {
  name: 'apim'
  params: {
    name: apimName
    location: location
    tags: tags
    sku: apimSku
    capacity: apimCapacity
    publisherEmail: apimPublisherEmail
    publisherName: apimPublisherName
    functionKey: functionKey
    functionAppHostName: functionApp.outputs.defaultHostName
    consoleOrigins: consoleOrigins
    rateLimitCallsPerMinute: rateLimitCallsPerMinute
    maxRequestBodyBytes: maxRequestBodyBytes
    workspaceId: monitoring.outputs.workspaceId
  }
}

@description('Public base URL of the API (the gateway); the routes are under /api.')
output apiGatewayUrl string = apim.outputs.gatewayUrl
@description('Name of the Function App, for `az functionapp deployment source config-zip`.')
output functionAppName string = functionApp.outputs.name
@description('Name of the API Management instance (infra/deploy sets its function-key named value).')
output apimName string = apim.outputs.name
@description('Base URL under which promotional images are publicly readable (channels fetch them).')
output imagesBaseUrl string = storage.outputs.imagesBaseUrl
