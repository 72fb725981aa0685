"""The generated REST API: Strapi v5's REST dialect over the content-type registry."""
