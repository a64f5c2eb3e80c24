// PostgreSQL Flexible Server, the store of record. The app connects as its own role (owner of
// the `app` schema, created by a deployment script, never the server administrator) and
// verifies the server's certificate (sslmode=verify-full; the Azure roots are in the binary's
// trust store). Prod: private access in the VNet, no public endpoint. Dev: a public endpoint
// with the "Azure services" rule, as Flex Consumption has no fixed egress address without a
// VNet (docs/deploy.md says what this costs and how to narrow it).
param name string
param location string
param tags object
param skuName string
param skuTier string
param storageGb int
param highAvailability string
param backupRetentionDays int
param adminLogin string
@secure()
param adminPassword string
@description('The app\'s own login role.')
param appLogin string
@secure()
param appPassword string
param privateNetworking bool
param delegatedSubnetId string = ''
param privateDnsZoneId string = ''
param scriptsSubnetId string = ''
param scriptStorageName string
param workspaceId string

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: '16'
    administratorLogin: adminLogin
    administratorLoginPassword: adminPassword
    storage: {
      storageSizeGB: storageGb
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: highAvailability
    }
    network: privateNetworking
      ? {
          delegatedSubnetResourceId: delegatedSubnetId
          privateDnsZoneArmResourceId: privateDnsZoneId
          publicNetworkAccess: 'Disabled'
        }
      : {
          publicNetworkAccess: 'Enabled'
        }
    authConfig: {
      passwordAuth: 'Enabled'
      activeDirectoryAuth: 'Disabled'
    }
  }
}

// Dev only: Azure services may connect (Flex Consumption's egress addresses are not fixed).
resource allowAzureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = if (!privateNetworking) {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

// Connections, disconnections and failed logins are logged (and sent to Log Analytics below).
resource logConnections 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  dependsOn: [allowAzureServices]
  name: 'log_connections'
  properties: {
    value: 'on'
    source: 'user-override'
  }
}

// Child writes to a flexible server must not overlap (ServerIsBusy): one after another.
resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  dependsOn: [logConnections]
  name: 'eventmarketing'
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

resource audit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: server
  name: 'audit'
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'PostgreSQLLogs'
        enabled: true
      }
    ]
  }
}

// In prod the script's container runs in the VNet and keeps its files in this account.
resource scriptStorage 'Microsoft.Storage/storageAccounts@2023-05-01' = if (privateNetworking) {
  name: scriptStorageName
  location: location
  tags: tags
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    // Deployment scripts mount a file share with the account key.
    allowSharedKeyAccess: true
    networkAcls: {
      defaultAction: 'Deny'
      virtualNetworkRules: [
        {
          id: scriptsSubnetId
          action: 'Allow'
        }
      ]
    }
  }
}

// The app's own role: `postgres-app-role.sh`, as the administrator, once per deployment.
resource appRole 'Microsoft.Resources/deploymentScripts@2023-08-01' = {
  name: 'postgres-app-role'
  location: location
  tags: tags
  kind: 'AzureCLI'
  dependsOn: [database, scriptStorage]
  properties: {
    azCliVersion: '2.61.0'
    retentionInterval: 'PT1H'
    cleanupPreference: 'Always'
    timeout: 'PT10M'
    containerSettings: privateNetworking
      ? {
          subnetIds: [
            {
              id: scriptsSubnetId
            }
          ]
        }
      : null
    storageAccountSettings: privateNetworking
      ? {
          storageAccountName: scriptStorageName
        }
      : null
    environmentVariables: [
      {
        name: 'PGHOST'
        value: server.properties.fullyQualifiedDomainName
      }
      {
        name: 'PGUSER'
        value: adminLogin
      }
      {
        name: 'PGPASSWORD'
        secureValue: adminPassword
      }
      {
        name: 'PGDATABASE'
        value: database.name
      }
      {
        name: 'APP_ROLE'
        value: appLogin
      }
      {
        name: 'APP_PASSWORD'
        secureValue: appPassword
      }
    ]
    scriptContent: loadTextContent('postgres-app-role.sh')
  }
}

output fqdn string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
output appRoleReady string = appRole.name
