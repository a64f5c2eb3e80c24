// The Function App: Flex Consumption (FC1, Linux), custom handler runtime, user-assigned
// identity for every connection. App settings carry every setting the binary reads (the
// consistency test holds this list against the code); secrets are Key Vault references.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param hostStorageAccountName string
param deploymentContainerUrl string
param appInsightsConnectionString string
param imagesContainerUrl string
param serviceBusFqdn string
param serviceBusName string
param serviceBusSenderRuleName string
param serviceBusKeyUri string
param databaseUrlSecretUri string
param jwtSecretUri string
param channelSecretKeysUri string
param personalDataKeysUri string
param phoneHmacKeysUri string
@description('Where the service is reached from outside (the API gateway): OAuth callbacks and event links start here.')
param publicBaseUrl string
param databaseMaxConnections int
param maximumInstances int
param instanceMemoryMb int
param alwaysReadyHttpInstances int
@description('Prod: outbound traffic goes through the VNet (PostgreSQL and Key Vault are private there).')
param privateNetworking bool
param functionsSubnetId string = ''

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: privateNetworking ? functionsSubnetId : null
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      vnetRouteAllEnabled: privateNetworking
      // Only API Management may call the functions (the host key is the second lock); the
      // deployment endpoint (scm) takes Entra ID only, see the publishing policies below.
      ipSecurityRestrictionsDefaultAction: 'Deny'
      ipSecurityRestrictions: [
        {
          name: 'api-management'
          action: 'Allow'
          priority: 100
          tag: 'ServiceTag'
          ipAddress: 'ApiManagement'
        }
      ]
      scmIpSecurityRestrictionsUseMain: false
      scmIpSecurityRestrictionsDefaultAction: 'Allow'
      appSettings: [
        // Host storage, identity-based.
        {
          name: 'AzureWebJobsStorage__accountName'
          value: hostStorageAccountName
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsightsConnectionString
        }
        // Application Insights takes Entra ID only (local auth is off): the host signs with
        // the app's identity.
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
        // The identity-based connection the Service Bus–triggered workers name.
        {
          name: 'ServiceBusConnection__fullyQualifiedNamespace'
          value: serviceBusFqdn
        }
        {
          name: 'ServiceBusConnection__credential'
          value: 'managedidentity'
        }
        {
          name: 'ServiceBusConnection__clientId'
          value: identityClientId
        }
        // events-auto-end runs at 00:00 in Korea. Timer schedules are UTC on Linux plans (they
        // ignore WEBSITE_TIME_ZONE): 00:00 KST (UTC+9, no DST) is 15:00 UTC the day before.
        {
          name: 'EVENTS_AUTO_END_SCHEDULE'
          value: '0 0 15 * * *'
        }
        // outbox-relay: every minute (UTC; a cadence, so the time zone does not matter). It only
        // delivers what an instance left behind; messages normally go right after their commit.
        {
          name: 'OUTBOX_RELAY_SCHEDULE'
          value: '0 */1 * * * *'
        }
        // distribution-sweep: every minute (UTC; a cadence). Reconciles interrupted and unknown
        // posts, sends due ones (rate limits that passed, Kakao's 08:00), refreshes tokens.
        {
          name: 'DISTRIBUTION_SWEEP_SCHEDULE'
          value: '0 */1 * * * *'
        }
        // participants-purge: every hour (UTC; a cadence). Destroys customers' personal data
        // whose retention passed (non-winners within a day of the draw).
        {
          name: 'PARTICIPANTS_PURGE_SCHEDULE'
          value: '0 0 * * * *'
        }
        // channel-stats: every 30 minutes (UTC; a cadence). Reads Instagram's insights and the
        // Kakao dealer's delivery results of published posts; forgets old visits.
        {
          name: 'CHANNEL_STATS_SCHEDULE'
          value: '0 */30 * * * *'
        }
        // The binary's own settings (`SETTINGS` in src/config/values.rs).
        {
          name: 'DATABASE_URL'
          value: '@Microsoft.KeyVault(SecretUri=${databaseUrlSecretUri})'
        }
        {
          name: 'JWT_SECRET'
          value: '@Microsoft.KeyVault(SecretUri=${jwtSecretUri})'
        }
        // Seals the owners' channel tokens and keys (AES-256-GCM key ring, newest key first).
        {
          name: 'CHANNEL_SECRET_KEYS'
          value: '@Microsoft.KeyVault(SecretUri=${channelSecretKeysUri})'
        }
        // Seal customers' names and phones and draw seeds; tag phones (two separate rings).
        {
          name: 'PERSONAL_DATA_KEYS'
          value: '@Microsoft.KeyVault(SecretUri=${personalDataKeysUri})'
        }
        {
          name: 'PHONE_HMAC_KEYS'
          value: '@Microsoft.KeyVault(SecretUri=${phoneHmacKeysUri})'
        }
        // Per client address and instance (API Management's rate limit is the shared one).
        {
          name: 'ENTRY_RATE_LIMIT_PER_MINUTE'
          value: '120'
        }
        {
          name: 'PUBLIC_RATE_LIMIT_PER_MINUTE'
          value: '600'
        }
        // How long customers' personal data is kept (docs/participation.md).
        {
          name: 'NON_WINNER_RETENTION_HOURS'
          value: '24'
        }
        {
          name: 'ALTERNATE_RETENTION_DAYS'
          value: '14'
        }
        {
          name: 'WINNER_RETENTION_DAYS'
          value: '30'
        }
        {
          name: 'UNDRAWN_RETENTION_DAYS'
          value: '30'
        }
        {
          name: 'MARKETING_CONSENT_DAYS'
          value: '365'
        }
        {
          name: 'PUBLIC_BASE_URL'
          value: publicBaseUrl
        }
        {
          name: 'CHANNEL_TIMEOUT_SECONDS'
          value: '20'
        }
        // An attempt may hold a post this long (longer than Instagram's 5-minute container wait);
        // an UNKNOWN post is read again every 5 minutes.
        {
          name: 'DISTRIBUTION_LEASE_SECONDS'
          value: '600'
        }
        {
          name: 'DISTRIBUTION_RECONCILE_SECONDS'
          value: '300'
        }
        {
          name: 'DATABASE_MAX_CONNECTIONS'
          value: string(databaseMaxConnections)
        }
        {
          name: 'JWT_TTL_SECONDS'
          value: '3600'
        }
        {
          name: 'LOGIN_MAX_FAILURES'
          value: '5'
        }
        {
          name: 'LOGIN_WINDOW_SECONDS'
          value: '900'
        }
        // Lock rounds per account and client address double from 30 s up to 15 minutes.
        {
          name: 'LOGIN_LOCK_SECONDS'
          value: '900'
        }
        {
          name: 'LOGIN_FIRST_LOCK_SECONDS'
          value: '30'
        }
        // Per client address (API Management writes it into X-Client-Address, trusted here).
        {
          name: 'LOGIN_RATE_LIMIT_PER_MINUTE'
          value: '10'
        }
        {
          name: 'SIGNUP_RATE_LIMIT_PER_MINUTE'
          value: '5'
        }
        {
          name: 'TRUST_CLIENT_ADDRESS_HEADER'
          value: 'true'
        }
        // Costly jobs one owner may start per day (Korea time).
        {
          name: 'DAILY_RECOMMENDATION_JOBS'
          value: '20'
        }
        {
          name: 'DAILY_IMAGE_JOBS'
          value: '10'
        }
        {
          name: 'MAX_BODY_BYTES'
          value: '65536'
        }
        // Equal to the queues' maxDeliveryCount (modules/servicebus.bicep): the worker fails the
        // job on the last delivery instead of leaving it to the dead-letter queue.
        {
          name: 'JOB_MAX_DELIVERIES'
          value: '10'
        }
        {
          name: 'RUST_LOG'
          value: 'info,sqlx=warn'
        }
        // The outbox relay publishes job and domain messages with the Send-only SAS rule.
        {
          name: 'SERVICE_BUS_NAMESPACE'
          value: serviceBusName
        }
        {
          name: 'SERVICE_BUS_SAS_KEY_NAME'
          value: serviceBusSenderRuleName
        }
        {
          name: 'SERVICE_BUS_SAS_KEY'
          value: '@Microsoft.KeyVault(SecretUri=${serviceBusKeyUri})'
        }
        // Images: written with the identity (Storage Blob Data Contributor), read by URL.
        {
          name: 'IMAGES_CONTAINER_URL'
          value: imagesContainerUrl
        }
        {
          name: 'AZURE_CLIENT_ID'
          value: identityClientId
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstances
        instanceMemoryMB: instanceMemoryMb
        alwaysReady: alwaysReadyHttpInstances > 0
          ? [
              {
                name: 'http'
                instanceCount: alwaysReadyHttpInstances
              }
            ]
          : []
      }
      runtime: {
        name: 'custom'
        version: '1.0'
      }
    }
  }
}

// No FTP and no basic (user name and password) publishing: deployments sign in with Entra ID.
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = site.name
output id string = site.id
output defaultHostName string = site.properties.defaultHostName
