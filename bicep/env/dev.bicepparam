// dev: smallest sizes that still run the whole topology; cost estimate in README.md.
using '../main.bicep'

param environment = 'dev'
param postgresSkuName = 'Standard_B1ms'
param postgresSkuTier = 'Burstable'
param postgresStorageGb = 32
param postgresHighAvailability = 'Disabled'
param postgresBackupRetentionDays = 7
// B1ms allows 50 connections: 10 instances × 4 stay under it.
param databaseMaxConnections = 4
param functionMaximumInstances = 10
param functionInstanceMemoryMb = 2048
param alwaysReadyHttpInstances = 0
param apimSku = 'Consumption'
param apimCapacity = 0
param storageSku = 'Standard_LRS'
param logRetentionDays = 30
param keyVaultSoftDeleteDays = 7
param keyVaultPurgeProtection = false
param apimPublisherEmail = 'dev-team@example.kr'
param consoleOrigins = ['http://localhost:5173']
// Secrets come from the environment of the deploying shell, never from this file.
param postgresAdminPassword = readEnvironmentVariable('EM_POSTGRES_ADMIN_PASSWORD')
param jwtSecret = readEnvironmentVariable('EM_JWT_SECRET')
