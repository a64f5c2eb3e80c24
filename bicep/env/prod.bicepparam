// prod: 99.9 % target, about 10,000 owners; cost estimate in README.md.
using '../main.bicep'

param environment = 'prod'
// 2 vCores / 8 GiB, zone-redundant standby: the database is the one stateful part.
param postgresSkuName = 'Standard_D2ds_v5'
param postgresSkuTier = 'GeneralPurpose'
param postgresStorageGb = 128
param postgresHighAvailability = 'ZoneRedundant'
param postgresBackupRetentionDays = 35
// D2ds_v5 allows ~844 user connections. The instance cap applies per function group (HTTP,
// each worker, each timer): 100 HTTP instances × 5 = 500 leaves room for the workers; revisit
// when Service Bus workers land (or add PgBouncer, available on General Purpose).
param databaseMaxConnections = 5
param functionMaximumInstances = 100
param functionInstanceMemoryMb = 2048
// One warm instance for the HTTP functions: no cold start for the first owner of the day.
param alwaysReadyHttpInstances = 1
param apimSku = 'BasicV2'
param apimCapacity = 1
param storageSku = 'Standard_ZRS'
param logRetentionDays = 90
param keyVaultSoftDeleteDays = 90
// PostgreSQL and Key Vault reachable only inside the VNet the Function App is integrated with.
param privateNetworking = true
param keyVaultPurgeProtection = true
param apimPublisherEmail = 'ops@example.kr'
param consoleOrigins = ['https://console.example.kr']
param postgresAdminPassword = readEnvironmentVariable('EM_POSTGRES_ADMIN_PASSWORD')
param postgresAppPassword = readEnvironmentVariable('EM_POSTGRES_APP_PASSWORD')
param jwtSecret = readEnvironmentVariable('EM_JWT_SECRET')
param channelSecretKeys = readEnvironmentVariable('EM_CHANNEL_SECRET_KEYS')
param personalDataKeys = readEnvironmentVariable('EM_PERSONAL_DATA_KEYS')
param phoneHmacKeys = readEnvironmentVariable('EM_PHONE_HMAC_KEYS')
// Set by infra/deploy from the running app (empty on the very first deployment).
param functionKey = readEnvironmentVariable('EM_FUNCTION_KEY', '')
