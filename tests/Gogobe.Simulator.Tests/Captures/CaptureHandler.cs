using System.Net;

namespace Gogobe.Simulator.Tests.Captures;

/// <summary>Answers every request with one fixed page: how a scraper reads a saved real response as if the portal sent it.</summary>
internal sealed class CaptureHandler(string body, string mediaType = "text/html") : HttpMessageHandler
{
    public List<Uri> Asked { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Asked.Add(request.RequestUri!);
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType),
            RequestMessage = request,
        });
    }
}
