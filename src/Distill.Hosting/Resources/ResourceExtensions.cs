namespace Distill.Hosting.Resources;

/// <summary>The wiring verbs of the topology, named as in Aspire.</summary>
public static class ResourceExtensions
{
    public static T WaitFor<T>(this T resource, Resource dependency) where T : Resource
    {
        if (!resource.Dependencies.Contains(dependency))
        {
            resource.Dependencies.Add(dependency);
        }

        return resource;
    }

    /// <summary>Passes <c>ConnectionStrings__{name}</c> and waits for the resource.</summary>
    public static ProjectResource WithReference<TSource>(this ProjectResource project, TSource source)
        where TSource : Resource, IResourceWithConnectionString
    {
        project.ConnectionStringSources[source.Name] = source;
        return project.WaitFor(source);
    }

    /// <summary>Passes <c>services__{name}__http__0</c> for service discovery.</summary>
    public static ProjectResource WithReference(this ProjectResource project, ProjectResource service)
    {
        project.ServiceReferences.Add(service);
        return project;
    }

    public static ProjectResource WithEnvironment(this ProjectResource project, string name, string? value)
    {
        project.Environment[name] = value;
        return project;
    }

    public static ProjectResource AsDashboard(this ProjectResource project)
    {
        project.IsDashboard = true;
        return project;
    }
}
