using Gogobe.TestSupport;

namespace Gogobe.IntegrationTests;

[CollectionDefinition(PostgresFixture.Collection)]
public sealed class PostgresCollectionDefinition : ICollectionFixture<PostgresFixture>;
