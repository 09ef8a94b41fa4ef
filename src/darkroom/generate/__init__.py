"""Image generation: the MNIST VAE and DCGAN (sampling, figures; trained by darkroom.train's vae and gan objectives)."""

from darkroom.generate.gan import sample_gan
from darkroom.generate.vae import evaluate_vae, interpolate, latent_manifold, negative_elbo, sample_vae

__all__ = ["evaluate_vae", "interpolate", "latent_manifold", "negative_elbo", "sample_gan", "sample_vae"]
