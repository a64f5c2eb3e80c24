// dev: smallest sizes that still run the whole topology; cost estimate in README.md.
using '../main.bicep'

param environment = 'dev'
// B2s: ~414 user connections; B1ms (35) cannot serve Flex's minimum of 40 instances.
param postgresSkuName = 'Standard_B2s'
param postgresSkuTier = 'Burstable'
param postgresStorageGb = 32
param postgresHighAvailability = 'Disabled'
param postgresBackupRetentionDays = 7
// 40 instances × 4 = 160, under B2s's ~414.
param databaseMaxConnections = 4
param functionMaximumInstances = 40
param functionInstanceMemoryMb = 2048
param alwaysReadyHttpInstances = 0
param apimSku = 'Consumption'
param apimCapacity = 0
param storageSku = 'Standard_LRS'
param logRetentionDays = 30
param keyVaultSoftDeleteDays = 7
// Public endpoints, narrowly used (docs/deploy.md); no VNet cost in dev.
param privateNetworking = false
param keyVaultPurgeProtection = false
param apimPublisherEmail = 'dev-team@example.kr'
param consoleOrigins = ['http://localhost:5173']
// Secrets come from the environment of the deploying shell, never from this file.
param postgresAdminPassword = readEnvironmentVariable('EM_POSTGRES_ADMIN_PASSWORD')
param postgresAppPassword = readEnvironmentVariable('EM_POSTGRES_APP_PASSWORD')
param jwtSecret = readEnvironmentVariable('EM_JWT_SECRET')
param channelSecretKeys = readEnvironmentVariable('EM_CHANNEL_SECRET_KEYS')
param personalDataKeys = readEnvironmentVariable('EM_PERSONAL_DATA_KEYS')
param phoneHmacKeys = readEnvironmentVariable('EM_PHONE_HMAC_KEYS')
// Set by infra/deploy from the running app (empty on the very first deployment).
param functionKey = readEnvironmentVariable('EM_FUNCTION_KEY', '')
