<?xml version="1.0" encoding="UTF-8"?>
<!-- The page shell every HTML page shares: head with security policy, skip link, landmarks, footer. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:teiedition:function"
  xmlns:p="urn:teiedition:private"
  xmlns:s="urn:teiedition:site"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all" expand-text="yes">

  <!-- No inline script, nothing from another host; pagefind's search runs WebAssembly. -->
  <xsl:param name="content-security-policy" as="xs:string"
    select="&quot;default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; &quot;
            || &quot;img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'&quot;"/>

  <!-- The site navigation: page file and label. -->
  <xsl:variable name="p:navigation" as="map(xs:string, xs:string)*" select="(
    map{'page': 'index', 'label': 'Documents'},
    map{'page': 'persons', 'label': 'Persons'},
    map{'page': 'places', 'label': 'Places'},
    map{'page': 'organisations', 'label': 'Organisations'},
    map{'page': 'chronology', 'label': 'Chronology'},
    map{'page': 'about', 'label': 'About'},
    map{'page': 'search', 'label': 'Search'})"/>

  <xsl:template name="f:page">
    <xsl:param name="title" as="xs:string" required="yes"/>
    <xsl:param name="current" as="xs:string" select="''"/>
    <xsl:param name="file" as="xs:string" required="yes"/>
    <xsl:param name="lang" as="xs:string" select="string(($f:edition/*/@xml:lang, 'en')[1])"/>
    <xsl:param name="head" as="node()*" select="()"/>
    <xsl:param name="body" as="node()*" required="yes"/>
    <xsl:param name="main-class" as="xs:string" select="'page'"/>
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <meta http-equiv="Content-Security-Policy" content="{$content-security-policy}"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>{$title} · {f:edition-title()}</title>
        <xsl:if test="$f:base">
          <link rel="canonical" href="{$f:base}{if ($file = 'index.html') then '' else $file}"/>
        </xsl:if>
        <link rel="stylesheet" href="assets/edition.css"/>
        <link rel="icon" href="assets/favicon.svg" type="image/svg+xml"/>
        <xsl:sequence select="$head"/>
        <script src="assets/edition.js" defer="defer"/>
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to main content</a>
        <header class="site-header">
          <p class="site-title"><a href="index.html">{f:edition-title()}</a></p>
          <nav class="site-nav" aria-label="Site">
            <ul>
              <xsl:for-each select="$p:navigation">
                <li>
                  <a href="{?page}.html"><xsl:if test="?page = $current"><xsl:attribute
                    name="aria-current">page</xsl:attribute></xsl:if>{?label}</a>
                </li>
              </xsl:for-each>
            </ul>
          </nav>
        </header>
        <main id="main" class="{$main-class}" tabindex="-1">
          <xsl:sequence select="$body"/>
        </main>
        <xsl:call-template name="p:footer"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="p:footer">
    <xsl:variable name="publication" select="$f:edition/TEI/teiHeader/fileDesc/publicationStmt"/>
    <xsl:variable name="licence" select="$publication/availability/licence[1]"/>
    <footer class="site-footer">
      <p>
        <xsl:value-of select="f:edition-title()"/>
        <xsl:for-each select="$f:edition/TEI/teiHeader/fileDesc/editionStmt/edition/@n">, version {.}</xsl:for-each>
        <xsl:for-each select="$publication/publisher[1]">. {normalize-space(.)}</xsl:for-each>
        <xsl:for-each select="$publication/date[1]">, {normalize-space(.)}</xsl:for-each>.
      </p>
      <xsl:if test="$licence">
        <p class="licence">
          <xsl:variable name="href" select="f:safe-href($licence/@target)"/>
          <xsl:choose>
            <xsl:when test="$href"><a rel="license" href="{$href}">{normalize-space($licence)}</a></xsl:when>
            <xsl:otherwise>{normalize-space($licence)}</xsl:otherwise>
          </xsl:choose>
        </p>
      </xsl:if>
      <p><a href="sitemap.xml">Sitemap</a> · <a href="about.html">About this edition</a></p>
    </footer>
  </xsl:template>
</xsl:stylesheet>
